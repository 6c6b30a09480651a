import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { billField, createCustomer, type Datas, listCustomers, login, MOBILE, rowsById, zsml } from "./helpers.ts";

let emu: RunningEmulator;
let session: string;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
  session = await login(emu);
});
afterEach(async () => {
  await emu.close();
});

const ADD = `${MOBILE}/salesmanage/custom/add.asp`;

async function allocate(): Promise<{
  ord: string;
  khid: string;
  reply: ReturnType<typeof zsml> extends Promise<infer T> ? T : never;
}> {
  const reply = await zsml(emu, ADD, { session, datas: { edit: "0", intsort: "1", ord: "0" } });
  return { ord: String(reply.body.bill.value), khid: reply.body.bill.groups[0].fields[2].value, reply };
}

async function save(datas: Datas, intsort = 1): Promise<string> {
  const reply = await zsml(emu, `${ADD}?intsort=${intsort}`, { session, cmdkey: "__sys_dosave", datas });
  expect(reply.header.status).toBe(0);
  expect(reply.body.model).toBe("message");
  return reply.body.message.text;
}

describe("allocate (docs/zhibang-protocol.md §5.1)", () => {
  it("reserves a fresh ord per call and pre-generates a khid at fields[2]", async () => {
    const first = await allocate();
    const second = await allocate();
    expect(first.reply.body.model).toBe("bill");
    expect(Number.isInteger(Number(first.ord))).toBe(true);
    expect(second.ord).not.toBe(first.ord);
    expect(first.reply.body.bill.groups[0].fields.slice(0, 3).map((f: { id: string }) => f.id)).toEqual(["name", "pym", "khid"]);
    expect(first.khid).toMatch(/^KH\d{12}$/);
    expect(emu.snapshot().allocatedOrds).toBe(2);
  });
});

describe("customer workflow: allocate → save → detail → list → assign → reply → contacts", () => {
  it("stores what was saved and shows it everywhere", async () => {
    const { ord } = await allocate();
    const text = await save({
      ord,
      name: "远航科技有限公司",
      khid: "WX000001",
      sort1: "17,146",
      ly: 171,
      jz: "289",
      person_name: "张三",
      mobile: "13800138000",
      weixinAcc: "wxid_zhang3",
      email: "z@yh.cn",
      address: "杭州",
      intro: "来自微信",
      bank_3: "6222000011112222",
    });
    expect(text).toBe("保存成功");

    const stored = emu.snapshot().customers.find((c) => c.ord === ord)!;
    expect(stored).toMatchObject({
      khid: "WX000001",
      name: "远航科技有限公司",
      intsort: 1,
      ly: "171",
      jz: "289",
      sort1: "17,146",
      person_name: "张三",
      mobile: "13800138000",
      weixinAcc: "wxid_zhang3",
      owners: ["1"],
      public: false,
    });
    expect(stored.fields.bank_3).toBe("6222000011112222");

    const detail = await zsml(emu, `${ADD}?edit=1`, { session, datas: { edit: "1", ord } });
    expect(detail.body.model).toBe("bill");
    expect(billField(detail, "khid")).toMatchObject({ value: "WX000001" });
    expect(billField(detail, "sort1")).toMatchObject({ value: "17,146" });
    expect(billField(detail, "ly")).toEqual({ value: "171", text: "网站注册" });
    expect(billField(detail, "jz")).toEqual({ value: "289", text: "较高" });
    expect(billField(detail, "cateid")).toEqual({ value: "1", text: "管理员" });
    expect(billField(detail, "member1")?.value).toBe("0");
    expect(billField(detail, "mobile")?.value).toBe("13800138000");

    const row = rowsById(await listCustomers(emu, session, { khid: "WX000001" }))[0]!;
    expect(row).toMatchObject({
      name: "远航科技有限公司",
      personname: "张三",
      mobile: "13800138000",
      ord,
      sortname: "终端客户",
      sort1name: "潜在客户",
    });

    const assigned = await zsml(emu, `${MOBILE}/systemmanage/order.asp?datatype=tel`, {
      session,
      cmdkey: "__sys_dosave",
      datas: { ord, member1: "0", member2: "123,456" },
    });
    expect(assigned.body.message.text).toBe("保存成功");
    expect(emu.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ owners: ["123", "456"], public: false });
    expect(rowsById(await listCustomers(emu, session, { khid: "WX000001" }))[0]!.catename).toBe("王金牌,李销售");

    const replied = await zsml(emu, `${MOBILE}/systemmanage/reply.asp?datatype=tel`, {
      session,
      cmdkey: "__sys_dosave",
      datas: { ord, intro: "客户想要报价。", sort: 484, plantype: 0 },
    });
    expect(replied.body.message.text).toBe("保存成功");
    expect(rowsById(await listCustomers(emu, session, { khid: "WX000001" }))[0]!.telintro).toBe("客户想要报价。");

    const contact = await zsml(emu, `${MOBILE}/salesmanage/person/add.asp`, {
      session,
      cmdkey: "__sys_dosave",
      datas: { company: ord, person_name: "李四", mobile: "13900001111", job: "工程师" },
    });
    expect(contact.body.message.text).toBe("保存成功");
    const contacts = await zsml(emu, `${MOBILE}/salesmanage/person/list.asp`, {
      session,
      cmdkey: "refresh",
      datas: { company: ord },
    });
    expect(
      rowsById(contacts)
        .map((r) => r.person_name)
        .sort(),
    ).toEqual(["张三", "李四"]);

    const snapshot = emu.snapshot();
    expect(snapshot.assignments).toEqual([{ ord, member1: "0", member2: "123,456", at: expect.any(String) }]);
    expect(snapshot.followups).toContainEqual({
      ord,
      intro: "客户想要报价。",
      sort: "484",
      plantype: "0",
      at: expect.any(String),
    });
    expect(snapshot.customers.find((c) => c.ord === ord)!.telintro).toBe("客户想要报价。");
    expect(snapshot.calls).toMatchObject({
      allocate: 1,
      save: 1,
      detail: 1,
      list: 3,
      assign: 1,
      followup: 1,
      contact_add: 1,
      contact_list: 1,
    });
  });

  it("saves a personal customer (intsort=2) without person_name", async () => {
    const { ord } = await allocate();
    expect(await save({ ord, name: "王五", sort1: "17,146", mobile: "13700001111" }, 2)).toBe("保存成功");
    expect(emu.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ intsort: 2, name: "王五" });
  });

  it("treats a save of an existing ord as a whole-form update: no duplicate, unsent fields cleared", async () => {
    const ord = await createCustomer(emu, session, {
      name: "甲公司",
      khid: "WX000002",
      person_name: "甲",
      mobile: "13800000001",
      email: "a@a.cn",
    });
    expect(await save({ ord, name: "甲公司（新）", sort1: "17,148", person_name: "甲" })).toBe("保存成功");
    const matches = emu.snapshot().customers.filter((c) => c.khid === "WX000002");
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ ord, name: "甲公司（新）", sort1: "17,148", email: "", mobile: "" });
  });

  it("puts a customer into the public pool with member1=1", async () => {
    const ord = await createCustomer(emu, session, { name: "乙公司", person_name: "乙" });
    await zsml(emu, `${MOBILE}/systemmanage/order.asp?datatype=tel`, {
      session,
      cmdkey: "__sys_dosave",
      datas: { ord, member1: "1" },
    });
    expect(emu.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ owners: [], public: true });
    const detail = await zsml(emu, `${ADD}?edit=1`, { session, datas: { ord } });
    expect(billField(detail, "member1")?.value).toBe("1");
    const pool = rowsById(await listCustomers(emu, session, { stype: "1" })).map((r) => r.ord);
    expect(pool).toContain(ord);
  });
});

describe("validation failures come back as message texts with status 0 (docs/zhibang-protocol.md §3.4)", () => {
  it.each([
    [{ name: "", person_name: "张三" }, "客户名称不能为空！"],
    [{ name: "丙公司", person_name: "" }, "联系人姓名不能为空！"],
    [{ name: "丙公司", person_name: "张三", sort1: "" }, "客户分类不能为空！"],
    [{ name: "丙公司", person_name: "张三", sort1: "99,1" }, "客户分类不存在！"],
  ])("%j → %s", async (fields, expected) => {
    const { ord } = await allocate();
    expect(await save({ ord, sort1: "17,146", ...fields })).toBe(expected);
    expect(emu.snapshot().customers.some((c) => c.ord === ord)).toBe(false);
  });

  it("refuses an ord that was never allocated", async () => {
    expect(await save({ ord: "999999", name: "丁公司", sort1: "17,146", person_name: "丁" })).toBe(
      "客户ID无效，请先分配新客户ID！",
    );
  });

  it("refuses a khid used by another customer, and allows a customer to keep its own", async () => {
    const ord = await createCustomer(emu, session, { name: "戊公司", khid: "WX000010", person_name: "戊" });
    const { ord: other } = await allocate();
    expect(await save({ ord: other, name: "己公司", khid: "WX000010", sort1: "17,146", person_name: "己" })).toBe(
      "客户编号已被使用，不能保存！",
    );
    expect(await save({ ord, name: "戊公司", khid: "WX000010", sort1: "17,146", person_name: "戊" })).toBe("保存成功");
  });

  it("treats khids that differ only in case as the same number (the database collation ignores case)", async () => {
    await createCustomer(emu, session, { name: "戊公司", khid: "WX000011", person_name: "戊" });
    const { ord: other } = await allocate();
    expect(await save({ ord: other, name: "己公司", khid: "wx000011", sort1: "17,146", person_name: "己" })).toBe(
      "客户编号已被使用，不能保存！",
    );
    expect(emu.snapshot().customers.some((c) => c.ord === other)).toBe(false);
    // Looked up in either case, the list finds the one holder.
    for (const khid of ["wx000011", "WX000011"]) {
      expect(rowsById(await listCustomers(emu, session, { khid })).map((r) => r.name)).toEqual(["戊公司"]);
    }
  });

  it.each(["1380013800", "138001380001", "23800138000", "138-0013-8000", "+8613800138000", "138001380ab"])(
    "refuses the malformed mobile %s with 手机号码格式不正确！ and stores nothing",
    async (mobile) => {
      const { ord } = await allocate();
      expect(await save({ ord, name: "丑公司", sort1: "17,146", person_name: "丑", mobile })).toBe("手机号码格式不正确！");
      expect(emu.snapshot().customers.some((c) => c.ord === ord)).toBe(false);
    },
  );

  it("accepts an 11-digit mobile, or none", async () => {
    const { ord } = await allocate();
    expect(await save({ ord, name: "寅公司", sort1: "17,146", person_name: "寅", mobile: "19912345678" })).toBe("保存成功");
    const { ord: without } = await allocate();
    expect(await save({ ord: without, name: "卯公司", sort1: "17,146", person_name: "卯" })).toBe("保存成功");
  });

  it("answers a detail of an unknown ord with a message", async () => {
    const reply = await zsml(emu, `${ADD}?edit=1`, { session, datas: { edit: "1", ord: "424242" } });
    expect(reply.body).toMatchObject({ model: "message", message: { text: "该客户不存在或已被删除！" } });
  });

  it("validates assignments and follow-ups", async () => {
    const ord = await createCustomer(emu, session, { name: "庚公司", person_name: "庚" });
    const assign = (datas: Datas) =>
      zsml(emu, `${MOBILE}/systemmanage/order.asp?datatype=tel`, { session, cmdkey: "__sys_dosave", datas });
    expect((await assign({ ord, member2: "123" })).body.message.text).toBe("请选择指派方式！");
    expect((await assign({ ord, member1: "0", member2: "123,999" })).body.message.text).toBe("指派用户不存在！");
    const reply = (datas: Datas) =>
      zsml(emu, `${MOBILE}/systemmanage/reply.asp?datatype=tel`, { session, cmdkey: "__sys_dosave", datas });
    expect((await reply({ ord, sort: 484, plantype: 0 })).body.message.text).toBe("洽谈内容不能为空！");
    expect((await reply({ ord, intro: "x".repeat(1001), sort: 484, plantype: 0 })).body.message.text).toBe(
      "洽谈内容不能超过1000个字！",
    );
    expect((await reply({ ord, intro: "好", sort: 999, plantype: 0 })).body.message.text).toBe("请选择跟进方式！");
    expect((await reply({ ord, intro: "好", sort: 481 })).body.message.text).toBe("请选择日程类型！");
    expect((await reply({ ord: "777777", intro: "好", sort: 481, plantype: 0 })).body.message.text).toBe(
      "该客户不存在或已被删除！",
    );
    const snapshot = emu.snapshot();
    expect(snapshot.assignments).toEqual([]);
    expect(snapshot.followups.filter((f) => f.ord === ord)).toEqual([]);
  });

  it("validates contacts", async () => {
    const contact = (datas: Datas) =>
      zsml(emu, `${MOBILE}/salesmanage/person/add.asp`, { session, cmdkey: "__sys_dosave", datas });
    expect((await contact({ person_name: "甲" })).body.message.text).toBe("关联客户不能为空！");
    expect((await contact({ company: "888888", person_name: "甲" })).body.message.text).toBe("关联客户不存在或已被删除！");
    expect((await contact({ company: "101" })).body.message.text).toBe("联系人姓名不能为空！");
    expect((await contact({ company: "101", person_name: "甲", mobile: "0571-8888888" })).body.message.text).toBe(
      "手机号码格式不正确！",
    );
    expect(emu.snapshot().contacts.some((c) => c.person_name === "甲")).toBe(false);
  });
});

describe("contacts (docs/zhibang-protocol.md §5.8)", () => {
  it("updates a contact by its ord (whole form) and shows it in the detail", async () => {
    const list = await zsml(emu, `${MOBILE}/salesmanage/person/list.asp`, {
      session,
      cmdkey: "refresh",
      datas: { person_name: "李娜" },
    });
    const row = rowsById(list)[0]!;
    expect(row).toMatchObject({ company: "101", companyname: "上海明达机械有限公司" });
    await zsml(emu, `${MOBILE}/salesmanage/person/add.asp`, {
      session,
      cmdkey: "__sys_dosave",
      datas: { ord: row.ord!, company: "101", person_name: "李娜", job: "财务总监", mobile: "13911113333" },
    });
    const detail = await zsml(emu, `${MOBILE}/salesmanage/person/add.asp?edit=1`, {
      session,
      datas: { edit: "1", ord: row.ord! },
    });
    expect(billField(detail, "job")?.value).toBe("财务总监");
    expect(billField(detail, "company")).toEqual({ value: "101", text: "上海明达机械有限公司" });
    const byMobile = await zsml(emu, `${MOBILE}/salesmanage/person/list.asp`, {
      session,
      cmdkey: "refresh",
      datas: { mobile: "1391111" },
    });
    expect(
      rowsById(byMobile)
        .map((r) => r.person_name)
        .sort(),
    ).toEqual(["李娜", "陈明"]);
  });
});

describe("silent non-save", () => {
  it("answers success but stores nothing, and counts it", async () => {
    emu.setFaults({ silentNonSaveRate: 1 });
    const { ord } = await allocate();
    expect(await save({ ord, name: "幽灵公司", sort1: "17,146", person_name: "鬼" })).toBe("保存成功");
    const snapshot = emu.snapshot();
    expect(snapshot.customers.some((c) => c.ord === ord)).toBe(false);
    expect(snapshot.silentNonSaves).toBe(1);
  });
});
