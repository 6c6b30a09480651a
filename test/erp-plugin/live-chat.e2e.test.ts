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
      const { customers, followups, assignments } = fx.snapshot();
      const found = customers.find((c) => c.mobile === HOT_MOBILE);
      const done = found && followups.some((f) => f.ord === found.ord) && assignments.some((a) => a.ord === found.ord);
      return done ? found : undefined;
    }, "the customer, its assignment and its follow-up in the ERP");
    await fx.app.sync.drain(); // the job records what it did after the ERP answered
    expect(customer).toMatchObject({ name: "苏州远航科技有限公司", owners: ["123"], ly: "171" });

    const status = await fx.command("/erp status 张三");
    expect(status.map((r) => r.to)).toEqual(["filehelper"]);
    expect(status[0]!.text).toContain(`${customer.khid} · ord ${customer.ord} · 负责人 123 · 跟进 1`);

    const scoredBefore = (await fx.thread(HOT.contact.id))!.scoredAt;
    await fx.customerSays(HOT.contact, "另外想问一下售后服务怎么收费");
    await waitFor(async () => (await fx.thread(HOT.contact.id))!.scoredAt !== scoredBefore, "the second scoring");
    await fx.app.sync.drain();
    const snapshot = fx.snapshot();
    expect(snapshot.followups.filter((f) => f.ord === customer.ord)).toHaveLength(1);
    expect(snapshot.customers.filter((c) => c.mobile === HOT_MOBILE)).toHaveLength(1);
    expect(fx.sent().filter((m) => m.to === HOT.contact.id)).toEqual([]);
  });

  it("two colleagues of a new company writing at the same time: one company customer, the second its contact person", async () => {
    fx = await startAppFixture({ mode: "live", config: { scorer: { idleSeconds: 1 } } });
    const liu = { id: "wxid_liu1", name: "刘一" };
    const chen = { id: "wxid_chen2", name: "陈二" };
    const ask = "想采购你们的系统，预算五十万，报价单发我，下周面谈签合同";
    // Both threads go idle together: their sync jobs run side by side (sync.concurrency 4).
    await fx.customerSays(liu, `你好，我是杭州新锐智能有限公司的刘一，${ask}`);
    await fx.customerSays(chen, `你好，我是杭州新锐智能有限公司的陈二，${ask}`);
    await fx.customerSays(liu, "我手机 13511110001");
    await fx.customerSays(chen, "我手机 13511110002");
    await waitFor(async () => (await fx.thread(liu.id))?.erp && (await fx.thread(chen.id))?.erp, "both threads linked");
    await fx.app.sync.drain();

    const { customers, contacts } = fx.snapshot();
    const company = customers.filter((c) => c.name === "杭州新锐智能有限公司");
    expect(company).toHaveLength(1);
    const people = contacts.filter((c) => c.company === company[0]!.ord).map((c) => c.mobile);
    expect(people.sort()).toEqual(["13511110001", "13511110002"]);
  });
});
