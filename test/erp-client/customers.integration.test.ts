import pMap from "p-map";
import { describe, expect, it } from "vitest";
import { ErpValidationError, ErpWriteNotVerifiedError } from "../../plugins/zhibang-erp/client/index.ts";
import { companyInput, withEmulator } from "./emulator-fixture.ts";

/** The customer operations against the emulator over real HTTP, checked in the ERP's own state. */

describe("creating a customer (allocate → save → read back)", () => {
  it("creates a company customer that the ERP then holds with every field", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const created = await erp.createCustomer(companyInput("WX000001", { weixinAcc: "wx_zhang3", email: "z3@example.com" }));
    expect(created.khid).toBe("WX000001");
    const stored = emulator.snapshot().customers.find((c) => c.ord === created.ord);
    expect(stored).toMatchObject({
      khid: "WX000001",
      name: "测试公司WX000001",
      intsort: 1,
      ly: "171",
      jz: "289",
      sort1: "17,146",
      person_name: "张三",
      mobile: "13800138000",
      weixinAcc: "wx_zhang3",
      email: "z3@example.com",
      intro: "微信咨询MES系统",
    });
    expect(created.detail).toMatchObject({
      ord: created.ord,
      name: "测试公司WX000001",
      khid: "WX000001",
      mobile: "13800138000",
      ly: "171",
    });
    expect(emulator.snapshot().calls).toMatchObject({ allocate: 1, save: 1, detail: 1 });
  });

  it("creates a personal customer (intsort 2) without a contact person", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const created = await erp.createCustomer({
      intsort: 2,
      name: "李四",
      khid: "WX000002",
      sort1: "17,146",
      mobile: "13700137000",
    });
    expect(emulator.snapshot().customers.find((c) => c.ord === created.ord)).toMatchObject({
      intsort: 2,
      name: "李四",
      mobile: "13700137000",
    });
  });

  it("surfaces the ERP's own text when it refuses a save", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const error = await erp.createCustomer(companyInput("WX000003", { personName: undefined })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpValidationError);
    expect((error as ErpValidationError).erpMessage).toBe("联系人姓名不能为空！");
    expect((error as ErpValidationError).maybeApplied).toBe(false);
    expect(emulator.snapshot().customers).toHaveLength(0);
  });

  it("refuses a khid already in use, with the ERP's text", async () => {
    const { erp } = await withEmulator({ seedDemo: false });
    await erp.createCustomer(companyInput("WX000004"));
    const error = await erp.createCustomer(companyInput("WX000004", { name: "另一家公司" })).catch((e: unknown) => e);
    expect((error as ErpValidationError).erpMessage).toBe("客户编号已被使用，不能保存！");
  });

  it("catches a save that answered success but stored nothing (silent non-save)", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false, silentNonSaveRate: 1 });
    const error = await erp.createCustomer(companyInput("WX000005")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpWriteNotVerifiedError);
    expect((error as Error).message).toContain("WX000005");
    expect(emulator.snapshot()).toMatchObject({ silentNonSaves: 1, customers: [] });
  });
});

describe("dedupe lookups are exact, whatever the fuzzy list filter returns", () => {
  it("findByKhid does not match the fuzzy neighbour WX0000010", async () => {
    const { erp } = await withEmulator({ seedDemo: false });
    const first = await erp.createCustomer(companyInput("WX000001"));
    await erp.createCustomer(companyInput("WX0000010", { mobile: "13800138001" }));
    const found = await erp.findByKhid("WX000001");
    expect(found.map((c) => [c.ord, c.khid])).toEqual([[first.ord, "WX000001"]]);
    expect(await erp.findByKhid("WX00000")).toEqual([]);
  });

  it("findByKhid finds a khid keyed in another case, as the ERP's database compares them", async () => {
    const { erp } = await withEmulator({ seedDemo: false });
    const keyedIn = await erp.createCustomer(companyInput("wx000003"));
    expect((await erp.findByKhid("WX000003")).map((c) => [c.ord, c.khid])).toEqual([[keyedIn.ord, "wx000003"]]);
    expect((await erp.findByKhid("Wx000003")).map((c) => c.ord)).toEqual([keyedIn.ord]);
  });

  it("findByMobile matches the mobile exactly, not a customer whose follow-up mentions it", async () => {
    const { erp } = await withEmulator({ seedDemo: false });
    const owner = await erp.createCustomer(companyInput("WX000011", { mobile: "13900001111" }));
    const neighbour = await erp.createCustomer(companyInput("WX000012", { mobile: "13900002222" }));
    await erp.addFollowup(neighbour.ord, { intro: "同事的电话是13900001111，下周再联系" });
    const found = await erp.findByMobile("+86 139-0000-1111");
    expect(found.map((c) => c.ord)).toEqual([owner.ord]);
    expect(await erp.findByMobile("13900003333")).toEqual([]);
  });

  it("findByName is exact after trimming and full-width folding", async () => {
    const { erp } = await withEmulator();
    await erp.createCustomer(companyInput("WX000021", { name: "上海明达机械有限公司苏州分公司" }));
    const found = await erp.findByName(" 上海明达机械有限公司 ");
    expect(found.map((c) => c.name)).toEqual(["上海明达机械有限公司"]);
    const withFullWidth = await erp.createCustomer(companyInput("WX000022", { name: "(苏州)恒远贸易ABC" }));
    expect((await erp.findByName("（苏州）恒远贸易ＡＢＣ")).map((c) => c.ord)).toEqual([withFullWidth.ord]);
  });
});

describe("listing", () => {
  it("pages over 250 customers: recordcount right, none missing, none twice", async () => {
    const { erp } = await withEmulator({ seedDemo: false });
    const khids = Array.from({ length: 250 }, (_, i) => `WX${String(i + 1).padStart(6, "0")}`);
    const created = await pMap(khids, (khid) => erp.createCustomer(companyInput(khid)), { concurrency: 8 });
    const listed = await erp.listCustomers({}, { pageSize: 20, sort: "-1" });
    expect(listed.recordcount).toBe(250);
    expect(listed.pagesRead).toBe(13);
    const ords = listed.items.map((c) => c.ord);
    expect(new Set(ords).size).toBe(250);
    expect([...ords].sort()).toEqual(created.map((c) => c.ord).sort());
  });

  it("filters by source newest first, reading columns by id", async () => {
    const { erp } = await withEmulator();
    const listed = await erp.listCustomers({ ly: 172 }, { sort: "-1" });
    expect(listed.items.map((c) => c.name)).toContain("上海明达机械有限公司");
    const mingda = listed.items.find((c) => c.name === "上海明达机械有限公司");
    expect(mingda).toMatchObject({ mobile: "13911112222", personName: "陈明", latestFollowup: "谈的很好，让发合同。" });
    expect(mingda?.owner).not.toBe("");
  });
});

describe("assign, follow-up, contacts, v3 edit", () => {
  it("assigns to users and to the public pool", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const { ord } = await erp.createCustomer(companyInput("WX000031"));
    await erp.assignCustomer(ord, { mode: "users", users: ["456"] });
    expect(emulator.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ owners: ["456"], public: false });
    await erp.assignCustomer(ord, { mode: "public" });
    expect(emulator.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ public: true });
    expect(emulator.snapshot().assignments.map((a) => [a.member1, a.member2])).toEqual([
      ["0", "456"],
      ["1", ""],
    ]);
  });

  it("posts a follow-up that the list then shows as the latest 洽谈进展", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const { ord } = await erp.createCustomer(companyInput("WX000032"));
    await erp.addFollowup(ord, { intro: "客户要求下周演示MES" });
    expect(emulator.snapshot().followups).toEqual([
      expect.objectContaining({ ord, intro: "客户要求下周演示MES", sort: "484", plantype: "0" }),
    ]);
    const [row] = (await erp.listCustomers({ khid: "WX000032" })).items;
    expect(row?.latestFollowup).toBe("客户要求下周演示MES");
  });

  it("adds a colleague as a contact of an existing company and lists it", async () => {
    const { erp, emulator } = await withEmulator();
    const [mingda] = await erp.findByName("上海明达机械有限公司");
    await erp.addContact(mingda!.ord, { personName: "周婷", mobile: "13655556666", job: "采购" });
    expect(
      emulator
        .snapshot()
        .contacts.filter((c) => c.company === mingda!.ord)
        .map((c) => c.person_name),
    ).toContain("周婷");
    const contacts = await erp.listContacts(mingda!.ord);
    expect(contacts.map((c) => c.personName)).toEqual(expect.arrayContaining(["陈明", "周婷"]));
  });

  it("edits a customer through the v3 webapi", async () => {
    const { erp, emulator } = await withEmulator({ seedDemo: false });
    const { ord } = await erp.createCustomer(companyInput("WX000033"));
    await erp.editCustomerV3(ord, { jz: "175" });
    expect(emulator.snapshot().customers.find((c) => c.ord === ord)?.jz).toBe("175");
  });
});
