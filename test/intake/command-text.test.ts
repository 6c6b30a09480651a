import { describe, expect, it } from "vitest";
import { bound, cleanText } from "../../src/intake/clean-text.ts";
import { isCommandText } from "../../src/intake/command-text.ts";

describe("isCommandText", () => {
  it.each([
    ["/erp", true],
    ["/erp sync", true],
    ["/erp\tstatus", true],
    ["/erp\nhelp", true],
    ["/erpx", false],
    ["/erp-sync", false],
    [" /erp", false],
    ["请 /erp sync", false],
    ["/ERP", false],
  ])("%j → %s", (text, expected) => {
    expect(isCommandText(text, "/erp")).toBe(expected);
  });
});

describe("cleanText", () => {
  it("folds CR/LF, drops control and direction-override characters, trims", () => {
    expect(cleanText("  a\r\nb\rc\u0000\u200Ed\u202Ee\t ", 100)).toBe("a\nb\nc\u200Ede");
  });
  it("bounds to the limit including the marker, in the configured language", () => {
    const text = cleanText("x".repeat(500), 100, "en");
    expect(text).toHaveLength(100);
    expect(text.endsWith("…[truncated]")).toBe(true);
  });
  it("backs off rather than split a surrogate pair", () => {
    expect(bound("a😀b", 2, "")).toBe("a");
    expect(bound("a😀b", 3, "")).toBe("a😀");
  });
});
