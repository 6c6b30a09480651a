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
