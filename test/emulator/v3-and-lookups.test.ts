import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { createCustomer, type Json, login, MOBILE, v3, zsml } from "./helpers.ts";

let emu: RunningEmulator;
let session: string;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
  session = await login(emu);
});
afterEach(async () => {
  await emu.close();
});

const EDIT = "/webapi/v3/sales/customer/edit";
const ADD = "/webapi/v3/sales/customer/add";

describe("v3 customer edit and add (docs/zhibang-protocol.md §6)", () => {
  it("updates only the fields sent", async () => {
    const ord = await createCustomer(emu, session, {
      name: "辛公司",
      khid: "WX000100",
      person_name: "辛",
      mobile: "13800000100",
      email: "x@x.cn",
    });
    expect(await v3(emu, EDIT, session, { ord: Number(ord), jz: "175", intro: "高意向", sort1: "148" })).toEqual({
      Code: 200,
      Msg: "保存成功",
    });
    const stored = emu.snapshot().customers.find((c) => c.ord === ord)!;
    expect(stored).toMatchObject({
      jz: "175",
      intro: "高意向",
      sort1: "17,148",
      email: "x@x.cn",
      mobile: "13800000100",
      khid: "WX000100",
    });
    expect(emu.snapshot().calls.v3_edit).toBe(1);
  });

  it("takes display names for enums as well as ids", async () => {
    const ord = await createCustomer(emu, session, { name: "壬公司", person_name: "壬" });
    await v3(emu, EDIT, session, { ord, ly: "朋友介绍", jz: "很低" });
    expect(emu.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ ly: "172", jz: "290" });
  });

  it("answers Code 300 with a message for an unknown ord, a bad value, or a khid in use", async () => {
    expect((await v3(emu, EDIT, session, { ord: 424242, intro: "x" })).Code).toBe(300);
    expect((await v3(emu, EDIT, session, { intro: "x" })).Code).toBe(300);
    const bad: Json = await v3(emu, EDIT, session, { ord: 101, mobile: "12345" });
    expect(bad).toEqual({ Code: 300, Msg: "手机号码格式不正确！" });
    expect(await v3(emu, EDIT, session, { ord: 102, khid: "KH0001" })).toEqual({
      Code: 300,
      Msg: "客户编号已被使用，不能保存！",
    });
    expect(emu.snapshot().customers.find((c) => c.ord === "101")!.mobile).toBe("13911112222");
    const held = emu.snapshot().customers.find((c) => c.ord === "101")!.khid;
    expect(await v3(emu, EDIT, session, { ord: 102, khid: held.toLowerCase() })).toEqual({
      Code: 300,
      Msg: "客户编号已被使用，不能保存！",
    });
    expect(await v3(emu, ADD, session, { sort2: 1, name: "子公司", khid: held.toLowerCase() })).toEqual({
      Code: 300,
      Msg: "客户编号已被使用，不能保存！",
    });
  });

  it("adds a customer with sort2 and name", async () => {
    expect((await v3(emu, ADD, session, { name: "癸公司" })).Code).toBe(300);
    expect(
      await v3(emu, ADD, session, {
        sort2: 1,
        name: "癸公司",
        khid: "WX000200",
        ly: 171,
        person_name: "癸",
        mobile: "13800000200",
      }),
    ).toEqual({ Code: 200, Msg: "保存成功" });
    expect(emu.snapshot().customers.find((c) => c.khid === "WX000200")).toMatchObject({
      name: "癸公司",
      ly: "171",
      sort1: "17,146",
      owners: ["1"],
    });
  });
});

describe("enums and lookups (docs/zhibang-protocol.md §5.9)", () => {
  it.each([
    ["13", { n: "网站注册", v: "171" }],
    ["14", { n: "很高", v: "175" }],
    ["98", { n: "其他", v: "484" }],
    ["11", { n: "印刷", v: "139" }],
  ])("source.asp?enumid=%s lists its options", async (enumid, expected) => {
    const reply = await zsml(emu, `${MOBILE}/source.asp?enumid=${enumid}`, { session });
    expect(reply.body.model).toBe("source");
    expect(reply.body.source.options).toContainEqual(expected);
  });

  it("gate_list.asp lists the users as a tree", async () => {
    const reply = await zsml(emu, `${MOBILE}/systemManage/gate_list.asp?stype=check`, { session });
    const users: { text: string; value: string }[] = [];
    const walk = (nodes: Json[]): void => {
      for (const node of nodes) {
        if (node.value) users.push({ text: node.text, value: node.value });
        walk(node.nodes ?? []);
      }
    };
    walk(reply.body.source.trees.nodes);
    expect(users).toEqual([
      { text: "管理员", value: "1" },
      { text: "王金牌", value: "123" },
      { text: "李销售", value: "456" },
      { text: "赵新人", value: "789" },
    ]);
    expect(emu.snapshot().calls.gate_list).toBe(1);
  });

  it("telsort_list.asp lists category 17 终端客户 with stage 146 潜在客户", async () => {
    const reply = await zsml(emu, `${MOBILE}/systemManage/telsort_list.asp?stype=check`, { session });
    const category = reply.body.source.trees.nodes.find((node: Json) => node.value === "17");
    expect(category.text).toBe("终端客户");
    expect(category.nodes).toContainEqual(expect.objectContaining({ value: "146", text: "潜在客户" }));
  });
});

describe("demo seed", () => {
  it("has the four users, five customers and the one the demo relies on", () => {
    const snapshot = emu.snapshot();
    expect(snapshot.users.map((u) => u.id)).toEqual(["1", "123", "456", "789"]);
    expect(snapshot.customers).toHaveLength(5);
    expect(snapshot.customers.find((c) => c.name === "上海明达机械有限公司")).toMatchObject({
      person_name: "陈明",
      mobile: "13911112222",
    });
    expect(snapshot.customers.filter((c) => c.ly === "171")).toHaveLength(1);
    expect(snapshot.customers.every((c) => !c.khid.startsWith("WX"))).toBe(true);
  });
});
