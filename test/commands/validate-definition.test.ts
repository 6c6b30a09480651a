import { describe, expect, it } from "vitest";
import { CommandDefinitionError } from "../../src/commands/errors.ts";
import { createCommandRouter } from "../../src/commands/router.ts";
import type { CommandDefinition } from "../../src/commands/types.ts";
import { silentLogger } from "../../src/logging/logger.ts";

function router(prefix = "/erp") {
  return createCommandRouter({
    prefix,
    locale: "zh",
    staff: [],
    selfId: () => "wxid_self",
    logger: silentLogger(),
    replies: { toControl: async () => {}, to: async () => {} },
  });
}

function definition(overrides: Partial<CommandDefinition>): CommandDefinition {
  return { name: "sync", description: { zh: "同步", en: "sync" }, handler: async () => "ok", ...overrides };
}

describe("command registration", () => {
  it.each([
    ["/sync", /must not start with "\/": register it as "sync"/],
    ["/erp sync", /must not start with "\/": register it as "sync"/],
    ["Sync", /one lower-case word/],
    ["sync now", /one lower-case word/],
    ["", /one lower-case word/],
    ["1sync", /one lower-case word/],
  ])("rejects the name %j with a message saying what to do", (name, message) => {
    expect(() => router().register(definition({ name }))).toThrow(message);
  });

  it("rejects a name that repeats a prefix without a slash", () => {
    expect(() => router("crm").register(definition({ name: "crmsync" }))).toThrow(/must not include the prefix "crm"/);
  });

  it("rejects a duplicate, including the built-in help", () => {
    const r = router();
    r.register(definition({}));
    expect(() => r.register(definition({}))).toThrow(/"sync" is already registered/);
    expect(() => r.register(definition({ name: "help" }))).toThrow(CommandDefinitionError);
  });

  it("rejects a missing description and impossible argument counts", () => {
    expect(() => router().register(definition({ description: { zh: "同步", en: " " } }))).toThrow(
      /description in both zh and en/,
    );
    expect(() => router().register(definition({ minArgs: 2, maxArgs: 1 }))).toThrow(
      /minArgs \(2\) is greater than maxArgs \(1\)/,
    );
    expect(() => router().register(definition({ minArgs: -1 }))).toThrow(/minArgs must be a whole number/);
  });

  it("accepts valid names and lists them after help", () => {
    const r = router();
    r.register(definition({ name: "sync" }));
    r.register(definition({ name: "follow-up" }));
    expect(r.list().map((d) => d.name)).toEqual(["help", "sync", "follow-up"]);
  });
});
