import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppFixture, BOSS, startAppFixture } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE, WARM } from "./conversations.ts";

/**
 * Every `/erp` command (docs/architecture.md §3.8) typed in the control chat: a useful reply (content
 * checked) and, for the ones that act, the effect in the ERP and the audit log.
 */
describe("/erp commands in the control chat", () => {
  let fx: AppFixture;
  let zhang: { ord: string; khid: string };

  beforeAll(async () => {
    fx = await startAppFixture();
    await fx.replay([HOT, WARM]);
    const found = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!;
    zhang = { ord: found.ord, khid: found.khid };
  });
  afterAll(() => fx?.stop());

  /** The one reply to a command typed in the control chat (File Transfer). */
  const ask = async (text: string, by?: typeof BOSS) => {
    const replies = await fx.command(text, by ? { by } : {});
    expect(replies).toHaveLength(1);
    return replies[0]!.text;
  };

  it("help lists every command with its usage", async () => {
    const help = await ask("/erp help");
    for (const name of ["help", "status", "sync", "score", "verify", "assign", "followup", "find", "queue", "retry"]) {
      expect(help).toContain(`/erp ${name}`);
    }
    expect(help).toContain("/erp verify <mobile> [who]");
  });

  it("find searches the ERP by mobile, khid and name, with the mobile masked", async () => {
    const byMobile = await ask(`/erp find ${HOT_MOBILE}`);
    expect(byMobile).toContain("苏州远航科技有限公司");
    expect(byMobile).toContain(`ord ${zhang.ord}`);
    expect(byMobile).toContain("138****8000");
    expect(byMobile).not.toContain(HOT_MOBILE);
    expect(await ask(`/erp find ${zhang.khid}`)).toContain(`苏州远航科技有限公司 ${zhang.khid}`);
    expect(await ask("/erp find 明达")).toContain("上海明达机械有限公司");
    expect(await ask("/erp find 不存在的公司")).toContain("ERP 中没有找到「不存在的公司」");
  });

  it("assign moves the customer to the given user in the ERP, audited with the staff member", async () => {
    const reply = await ask("/erp assign 456 张三", BOSS);
    expect(reply).toBe(`✅ 已指派 张三-远航科技(${zhang.khid}) → 456`);
    const snapshot = fx.snapshot();
    expect(snapshot.customers.find((c) => c.ord === zhang.ord)?.owners).toEqual(["456"]);
    expect(snapshot.assignments.filter((a) => a.ord === zhang.ord).map((a) => a.member2)).toEqual(["123", "456"]);
    const audit = await fx.audit();
    expect(audit.some((r) => r.operation === "erp.assign" && r.actor === BOSS.id && r.outcome === "ok")).toBe(true);
    expect(await ask("/erp status 张三")).toContain("负责人 456");
  });

  it("followup posts the staff member's text as a follow-up record on the customer", async () => {
    const reply = await ask("/erp followup 已寄样品，等客户反馈 | 张三");
    expect(reply).toBe(`✅ 已为 张三-远航科技(${zhang.khid}) 添加跟进记录`);
    const posted = fx.snapshot().followups.filter((f) => f.ord === zhang.ord);
    expect(posted).toHaveLength(2);
    expect(posted[1]!.intro.startsWith("已寄样品，等客户反馈")).toBe(true);
    expect(await ask("/erp status 张三")).toContain("跟进 2");
  });

  it("score scores the conversation now and says why", async () => {
    const reply = await ask(`/erp score ${zhang.khid}`);
    const score = (await fx.thread(HOT.contact.id))!.score;
    expect(reply.split("\n")[0]).toBe(`张三-远航科技(${zhang.khid}) 评分 ${score}`);
    expect(reply.split("\n")[1]!.length).toBeGreaterThan(4);
  });

  it("status shows score, summary, the five checks, khid, ord, owner, last sync and jobs", async () => {
    const status = await ask("/erp status 李四");
    const thread = (await fx.thread(WARM.contact.id))!;
    expect(status).toContain(`评分 ${thread.score}`);
    expect(status).toContain(thread.summary.slice(0, 20));
    expect(status).toContain("✓has_mobile ✓has_name ✓has_company ✓phone_verified ✓score_pass");
    expect(status).toContain(`ERP：${thread.erp!.khid} · ord ${thread.erp!.ord} · 负责人 456 · 跟进 1 · 最近同步 2026-11-02`);
    expect(status).toContain("待处理任务：0");
  });

  it("queue and retry with nothing waiting say so", async () => {
    expect(await ask("/erp queue")).toBe("队列：待处理 0，运行中 0，失败 0\n✅ 没有待处理的任务");
    expect(await ask("/erp retry")).toBe("没有失败的任务");
  });

  it("mistakes get a reason and what to do", async () => {
    expect(await ask("/erp assign 张三")).toContain("不是 ERP 用户ID");
    expect(await ask("/erp verify 12345 张三")).toContain("不是有效的 11 位手机号");
    expect(await ask("/erp status 不存在的人")).toContain("找不到客户「不存在的人」");
    expect(await ask("/erp frobnicate")).toContain("/erp help");
    // Nothing of the above reached the ERP as a write.
    expect(fx.snapshot().assignments.filter((a) => a.ord === zhang.ord)).toHaveLength(2);
  });
});
