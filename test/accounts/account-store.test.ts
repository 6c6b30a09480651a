import { describe, expect, it } from "vitest";
import { AccountStore } from "../../src/accounts/account-store.ts";
import { storeFixture } from "../store/store-fixture.ts";

const { openStore } = storeFixture();

describe("AccountStore: the sync job's look-ups", () => {
  it("find only the account's own conversations with a mobile or an ERP record", async () => {
    const shared = await openStore();
    const first = new AccountStore(shared, { id: "sales1", isDefault: true });
    const second = new AccountStore(shared, { id: "sales2", isDefault: false });
    const at = new Date().toISOString();
    for (const view of [first, second]) {
      await view.upsertContact({ id: "wxid_same", name: "同一个人", wechatPhone: "13800138000" });
      await view.updateThread("wxid_same", (t) => {
        t.erp = { ord: "1001", khid: "WX000001" };
      });
    }
    await second.updateThread("wxid_typed", (t) => {
      t.extracted.mobile = { value: "13900139000", source: "customer", verified: true, at };
    });

    const ids = (threads: Array<{ id: string }>) => threads.map((t) => t.id);
    expect(ids(await first.threadsWithMobile("13800138000"))).toEqual(["wxid_same"]);
    expect(ids(await second.threadsWithMobile("138 0013 8000"))).toEqual(["sales2:wxid_same"]);
    expect(ids(await first.threadsLinkedTo("1001"))).toEqual(["wxid_same"]);
    expect(ids(await second.threadsLinkedTo("1001"))).toEqual(["sales2:wxid_same"]);
    expect(ids(await first.threadsWithMobile("13900139000"))).toEqual([]);
    expect(ids(await second.threadsWithMobile("13900139000"))).toEqual(["sales2:wxid_typed"]);
    expect(ids(await shared.threadsLinkedTo("1001")).sort()).toEqual(["sales2:wxid_same", "wxid_same"]);
  });
});
