import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppFixture, BOSS, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { COLD, HOT, HOT_MOBILE, WARM } from "./conversations.ts";

/** `/erp sync` with no customer named, in the control chat: the `wxerp sync` pass, from chat. */
describe("/erp sync without a customer", () => {
  let fx: AppFixture;

  beforeAll(async () => {
    // With auto-sync off, scored threads wait for staff (the seed's auto_sync: false).
    fx = await startAppFixture({ config: { sync: { auto: false } } });
    await fx.replay([HOT, WARM, COLD]);
  });
  afterAll(() => fx?.stop());

  it("queues every admitted thread, never the cold one, and they land in the ERP", async () => {
    expect(fx.snapshot().customers.filter((c) => c.khid.startsWith("WX"))).toEqual([]);
    const replies = await fx.command("/erp sync", { by: BOSS });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/已为 2 个已准入的会话排队同步/);
    await waitFor(() => fx.snapshot().customers.filter((c) => c.khid.startsWith("WX")).length === 2, "both customers in the ERP");
    const created = fx.snapshot().customers.filter((c) => c.khid.startsWith("WX"));
    expect(created.map((c) => c.mobile)).toContain(HOT_MOBILE);
    expect(created.some((c) => c.name.includes("赵六"))).toBe(false);
  });
});

/** A crash between a linked customer's scoring and its job: `wxerp sync` still posts the follow-up. */
describe("the sync pass and a linked customer's unsynced conversation", () => {
  let fx: AppFixture;
  beforeAll(async () => {
    fx = await startAppFixture({ config: { followup: { minIntervalMinutes: 0 } } });
    await fx.replay([HOT]);
  });
  afterAll(() => fx?.stop());

  it("posts the follow-up the lost job would have posted, once", async () => {
    const ord = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!.ord;
    const followups = () => fx.snapshot().followups.filter((f) => f.ord === ord).length;
    expect(followups()).toBe(1);
    // As if the bot stored and scored two new messages, then died before queueing the job.
    await fx.app.store.updateThread("wxid_zhang3", (t) => {
      t.messageCount += 2;
      t.customerContentCount = (t.customerContentCount ?? 0) + 2;
      t.summary = `${t.summary}\n客户确认下周签合同`;
    });
    await fx.app.sync.syncPending("cli");
    await fx.app.sync.drain({ ignoreBackoff: true });
    expect(followups()).toBe(2);
    await fx.app.sync.syncPending("cli");
    await fx.app.sync.drain({ ignoreBackoff: true });
    expect(followups()).toBe(2);
  });
});
