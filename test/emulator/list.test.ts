import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { createCustomer, listCustomers, login, MOBILE, postRaw, rowsById, zsml } from "./helpers.ts";

let emu: RunningEmulator;
let session: string;
const TOTAL = 250;
let clock = Date.UTC(2026, 10, 1, 0, 0, 0);

const DEFAULT_COLUMNS = [
  "name",
  "catename",
  "sortname",
  "sort1name",
  "personname",
  "personjob",
  "phone",
  "mobile",
  "telintro",
  "ord",
  "person",
  "url",
  "personurl",
];

function khidOf(index: number): string {
  // One longer khid, so a fuzzy khid filter for WX000001 also finds WX0000010.
  return index === TOTAL ? "WX0000010" : `WX${String(index).padStart(6, "0")}`;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seedDemo: false, now: () => clock });
  session = await login(emu);
  for (let index = 1; index <= TOTAL; index += 1) {
    clock += 60_000; // one customer a minute: the add time orders them
    await createCustomer(emu, session, {
      name: `测试客户${index}号有限公司`,
      khid: khidOf(index),
      person_name: `联系人${index}`,
      mobile: `138${String(index).padStart(8, "0")}`,
      ly: index % 5 === 0 ? "172" : "171",
      address: index % 50 === 0 ? "上海市浦东新区" : "杭州市",
    });
  }
}, 60_000);
afterAll(async () => {
  await emu.close();
});

describe("customer list (docs/zhibang-protocol.md §5.4)", () => {
  it("returns only the UI skeleton without cmdkey refresh", async () => {
    const reply = await zsml(emu, `${MOBILE}/salesmanage/custom/list.asp`, { session });
    expect(reply.header.status).toBe(0);
    expect(reply.body.model).toBe("report");
    expect(reply.body.source).toBeUndefined();
    expect(JSON.stringify(reply)).not.toContain("测试客户");
  });

  it("takes cmdkey from the __msgid query parameter when the body has none (docs/zhibang-protocol.md §2.2)", async () => {
    const body = JSON.stringify({ session, datas: [{ id: "pagesize", val: 5 }] });
    const reply = JSON.parse((await postRaw(emu.url, `${MOBILE}/SalesManage/Custom/List.asp?__msgId=refresh`, body)).text);
    expect(reply.body.model).toBe("source");
    expect(reply.body.source.table.rows).toHaveLength(5);
  });

  it("has the real 13 default columns in order and string values only", async () => {
    const reply = await listCustomers(emu, session);
    const table = reply.body.source.table;
    expect(reply.body.model).toBe("source");
    expect(reply.body.source.type_).toBe("table");
    expect(table.cols.map((c: { id: string }) => c.id)).toEqual(DEFAULT_COLUMNS);
    for (const row of table.rows) {
      expect(row).toHaveLength(13);
      for (const value of row) expect(typeof value).toBe("string");
      expect(row.slice(11)).toEqual(["_url", "_url"]);
    }
  });

  it("pages 20 at a time by default and reports the page counts", async () => {
    const first = await listCustomers(emu, session);
    expect(first.body.source.table.page).toEqual({ recordcount: TOTAL, pagesize: 20, pagecount: 13, pageindex: 1 });
    expect(first.body.source.table.rows).toHaveLength(20);
    const last = await listCustomers(emu, session, { pagesize: 100, pageindex: 3 });
    expect(last.body.source.table.page).toEqual({ recordcount: TOTAL, pagesize: 100, pagecount: 3, pageindex: 3 });
    expect(last.body.source.table.rows).toHaveLength(50);
  });

  it("walks every page without repeats", async () => {
    const seen = new Set<string>();
    for (let pageindex = 1; ; pageindex += 1) {
      const reply = await listCustomers(emu, session, { pagesize: 30, pageindex, _rpt_sort: "-1" });
      for (const row of rowsById(reply)) seen.add(row.ord!);
      if (pageindex >= reply.body.source.table.page.pagecount) break;
    }
    expect(seen.size).toBe(TOTAL);
  });

  it("sorts newest first with -1 and -date1, oldest first with date1, and by a column", async () => {
    const newest = rowsById(await listCustomers(emu, session, { _rpt_sort: "-1", pagesize: 2 }));
    expect(newest.map((r) => r.name)).toEqual([`测试客户${TOTAL}号有限公司`, `测试客户${TOTAL - 1}号有限公司`]);
    expect(rowsById(await listCustomers(emu, session, { _rpt_sort: "-date1", pagesize: 1 }))[0]!.name).toBe(
      `测试客户${TOTAL}号有限公司`,
    );
    expect(rowsById(await listCustomers(emu, session, { _rpt_sort: "date1", pagesize: 1 }))[0]!.name).toBe("测试客户1号有限公司");
    const byOrd = rowsById(await listCustomers(emu, session, { _rpt_sort: "-ord", pagesize: 3 })).map((r) => Number(r.ord));
    expect(byOrd).toEqual([...byOrd].sort((a, b) => b - a));
  });

  it("filters khid by substring, so WX000001 also matches WX0000010", async () => {
    const rows = rowsById(await listCustomers(emu, session, { khid: "WX000001" }));
    expect(rows.map((r) => r.name).sort()).toEqual([`测试客户${TOTAL}号有限公司`, "测试客户1号有限公司"].sort());
  });

  it("filters name and address fuzzily and phone over the mobile too", async () => {
    expect(rowsById(await listCustomers(emu, session, { name: "客户12号" })).map((r) => r.name)).toEqual([
      "测试客户12号有限公司",
    ]);
    expect(rowsById(await listCustomers(emu, session, { address: "浦东" }))).toHaveLength(5);
    expect(rowsById(await listCustomers(emu, session, { phone: "13800000077" })).map((r) => r.name)).toEqual([
      "测试客户77号有限公司",
    ]);
  });

  it("ignores filter ids it does not know, such as mobile", async () => {
    const reply = await listCustomers(emu, session, { mobile: "13800000077" });
    expect(reply.body.source.table.page.recordcount).toBe(TOTAL);
  });

  it("finds a mobile through searchKey, which matches any returned column", async () => {
    expect(rowsById(await listCustomers(emu, session, { searchKey: "13800000077" })).map((r) => r.mobile)).toEqual([
      "13800000077",
    ]);
    expect(rowsById(await listCustomers(emu, session, { searchKey: "联系人249" })).map((r) => r.personname)).toEqual([
      "联系人249",
    ]);
  });

  it("filters multi-select ly with comma-separated ids", async () => {
    expect((await listCustomers(emu, session, { ly: "172" })).body.source.table.page.recordcount).toBe(50);
    expect((await listCustomers(emu, session, { ly: "171,172" })).body.source.table.page.recordcount).toBe(TOTAL);
    expect((await listCustomers(emu, session, { ly: "173" })).body.source.table.page.recordcount).toBe(0);
  });

  it("filters owners with cateid and the public pool with stype=1", async () => {
    expect((await listCustomers(emu, session, { cateid: "1" })).body.source.table.page.recordcount).toBe(TOTAL);
    expect((await listCustomers(emu, session, { cateid: "123,456" })).body.source.table.page.recordcount).toBe(0);
    expect((await listCustomers(emu, session, { stype: "1" })).body.source.table.page.recordcount).toBe(0);
  });

  it("changes the layout for checktype=radio (ord at index 7); mapping by cols[].id still works", async () => {
    const reply = await listCustomers(emu, session, { checktype: "radio", name: "客户12号" });
    const table = reply.body.source.table;
    const ids = table.cols.map((c: { id: string }) => c.id);
    expect(ids).not.toEqual(DEFAULT_COLUMNS);
    expect(ids[7]).toBe("ord");
    expect(rowsById(reply)[0]).toMatchObject({ name: "测试客户12号有限公司", mobile: "13800000012" });
    expect(table.rows[0][7]).toBe(rowsById(reply)[0]!.ord);
  });
});
