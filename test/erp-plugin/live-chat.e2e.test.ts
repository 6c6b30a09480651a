import { afterEach, describe, expect, it } from "vitest";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE } from "./conversations.ts";

/**
 * `wxerp start`'s path (mode live): messages arrive as they are typed, the scorer runs when
 * a thread has been idle for scorer.idleSeconds, and the outbox worker writes to the ERP
 * on its own. Only the ERP plugin's outcome is checked here; timing is not.
 */
describe("a live conversation", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  it("becomes an ERP customer after the pause; a later message within the hour adds no follow-up", async () => {
    fx = await startAppFixture({ mode: "live", config: { scorer: { idleSeconds: 2 } } });
    for (const message of HOT.messages) {
      if (message.from === "customer") await fx.customerSays(HOT.contact, message.text);
      else await fx.salesSays(HOT.contact.id, message.text);
    }
    const customer = await waitFor(() => {
      const { customers, followups } = fx.snapshot();
      const found = customers.find((c) => c.mobile === HOT_MOBILE);
      return found && followups.some((f) => f.ord === found.ord) ? found : undefined;
    }, "the customer and its follow-up in the ERP");
    await fx.app.erpControl.drain(); // the job records what it did after the ERP answered
    expect(customer).toMatchObject({ name: "苏州远航科技有限公司", owners: ["123"], ly: "171" });

    const status = await fx.command("/erp status", { in: HOT.contact.id });
    expect(status.map((r) => r.to)).toEqual(["filehelper"]);
    expect(status[0]!.text).toContain(`${customer.khid} · ord ${customer.ord} · 负责人 123 · 跟进 1`);

    const scoredBefore = (await fx.thread(HOT.contact.id))!.scoredAt;
    await fx.customerSays(HOT.contact, "另外想问一下售后服务怎么收费");
    await waitFor(async () => (await fx.thread(HOT.contact.id))!.scoredAt !== scoredBefore, "the second scoring");
    await fx.app.erpControl.drain();
    const snapshot = fx.snapshot();
    expect(snapshot.followups.filter((f) => f.ord === customer.ord)).toHaveLength(1);
    expect(snapshot.customers.filter((c) => c.mobile === HOT_MOBILE)).toHaveLength(1);
    expect(fx.sent().filter((m) => m.to === HOT.contact.id)).toEqual([]);
  });
});
