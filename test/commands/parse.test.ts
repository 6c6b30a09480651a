import { describe, expect, it } from "vitest";
import { parseCommand, splitArguments } from "../../src/commands/parse.ts";

describe("parseCommand", () => {
  it.each([
    ["/erp", { name: "", args: [], rest: "" }],
    ["/erp   ", { name: "", args: [], rest: "" }],
    ["/erp sync", { name: "sync", args: [], rest: "" }],
    ["/erp  sync  张三", { name: "sync", args: ["张三"], rest: "张三" }],
    ["  /erp status", { name: "status", args: [], rest: "" }],
    ["/erp　sync　张三", { name: "sync", args: ["张三"], rest: "张三" }],
    ["/ERP Sync", { name: "sync", args: [], rest: "" }],
    ["/erp followup 客户说 下周 签约", { name: "followup", args: ["客户说", "下周", "签约"], rest: "客户说 下周 签约" }],
    ['/erp sync "张 三"', { name: "sync", args: ["张 三"], rest: '"张 三"' }],
    ["/erp verify 13800138000\n张三", { name: "verify", args: ["13800138000", "张三"], rest: "13800138000\n张三" }],
  ])("%j is a command", (text, expected) => {
    expect(parseCommand(text, "/erp")).toEqual(expected);
  });

  it.each(["/erpx", "/erpsync", "erp sync", "hello /erp sync", "", "/er"])("%j is not a command", (text) => {
    expect(parseCommand(text, "/erp")).toBeUndefined();
  });

  it("uses the configured prefix", () => {
    expect(parseCommand("#crm find 张三", "#crm")).toEqual({ name: "find", args: ["张三"], rest: "张三" });
    expect(parseCommand("/erp find 张三", "#crm")).toBeUndefined();
  });
});

describe("splitArguments", () => {
  it.each([
    ["a b  c", ["a", "b", "c"]],
    ['"张 三" 138', ["张 三", "138"]],
    ["“远航 科技” 上海", ["远航 科技", "上海"]],
    ["'x y' z", ["x y", "z"]],
    ['"unclosed quote', ["unclosed quote"]],
    ['""', [""]],
    ["it's", ["it's"]],
    ["", []],
  ])("%j → %j", (text, expected) => {
    expect(splitArguments(text)).toEqual(expected);
  });
});
