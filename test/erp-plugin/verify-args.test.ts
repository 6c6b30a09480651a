import { describe, expect, it } from "vitest";
import { mobileFromArgs } from "../../plugins/zhibang-erp/commands/verify-command.ts";

describe("/erp verify arguments", () => {
  it.each([
    [["13812345678", "郑丽"], "13812345678", ["郑丽"]],
    [["138", "1234", "5678", "郑丽"], "13812345678", ["郑丽"]],
    [["+86", "138-1234-5678"], "13812345678", []],
    [["１３８１２３４５６７８"], "13812345678", []],
  ])("reads %j as the mobile %s for %j", (args, mobile, rest) => {
    expect(mobileFromArgs(args)).toEqual({ mobile, rest });
  });
  it.each([[["1381234567", "郑丽"]], [["138", "1234", "郑丽"]], [["010-62345678"]]])("refuses %j", (args) => {
    expect(mobileFromArgs(args)).toBeUndefined();
  });
});
