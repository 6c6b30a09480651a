import { afterEach, describe, expect, it } from "vitest";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { conversation, EXISTING, EXISTING_ORD, HOT } from "./conversations.ts";

/**
 * Two WeChat contacts are never merged into one ERP customer by a shared mobile without a
 * person deciding, and a link to a record people keyed in can be undone (`/erp unlink`).
 * Checked in the emulator's records, the control chat and the audit log.
 */
const SALES_MOBILE = "13987654321";
const OFFICE_MOBILE = "13655550000";

function lead(id: string, person: string, company: string, remark: string, lines: Array<[string, number]>, start?: string) {
  return conversation(
    { id, name: person, alias: remark },
    [
      ["customer", `你好，我是${company}的${person}，想要一份正式报价单，我们要20台，预算50万，下周面谈签合同`, 0],
      ...lines.map(([text, minute]) => ["customer", text, minute] as ["customer", string, number]),
    ],
    start,
  );
}

describe("a mobile another conversation already holds", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  const customersWith = (mobile: string) => fx.snapshot().customers.filter((c) => c.mobile === mobile);

  it("two customers quoting the salesperson's 'call me on …' message never become one ERP customer", async () => {
    fx = await startAppFixture();
    const quote = `「销售小王：这是我的手机 ${SALES_MOBILE}，有问题随时打给我」\n- - - - - - - - - - - - - - -\n好的，收到，下周二来我们公司面谈，尽快签合同`;
    const zhou = conversation({ id: "wxid_a", name: "周明", alias: "周明-华峰机械" }, [
      ["customer", "你好，我是常州华峰机械有限公司的周明，想要一份正式报价单，我们要20台，预算50万", 0],
      ["sales", `周总好，这是我的手机 ${SALES_MOBILE}，有问题随时打给我`, 1],
      ["customer", quote, 2],
    ]);
    const sun = conversation(
      { id: "wxid_b", name: "孙丽", alias: "孙丽-东方电气" },
      [
        ["customer", "你好，我是无锡东方电气有限公司的孙丽，想要一份正式报价单，我们要30台，预算80万", 0],
        ["sales", `孙总好，这是我的手机 ${SALES_MOBILE}，有问题随时打给我`, 1],
        ["customer", quote, 2],
      ],
      "2026-11-02T15:00:00+08:00",
    );
    await fx.replay([zhou, sun]);
    const zhouOrd = (await fx.thread("wxid_a"))?.erp?.ord;
    expect((await fx.thread("wxid_b"))?.erp?.ord ?? "not linked").not.toBe(zhouOrd ?? "none");
    // No follow-up about 孙丽's company lands on anyone else's record.
    const notes = fx.snapshot().followups.filter((f) => f.intro.includes("东方电气"));
    const sunOrd = (await fx.thread("wxid_b"))?.erp?.ord;
    expect(notes.every((f) => f.ord === sunOrd)).toBe(true);
  });

  it("the second contact with one number is parked with a note saying what to do; fixing the number creates it", async () => {
    fx = await startAppFixture();
    const wang = lead("wxid_wang", "王强", "苏州恒力机电有限公司", "王强-恒力机电", [[`办公室电话 ${OFFICE_MOBILE}`, 1]]);
    const li = lead(
      "wxid_li",
      "李娜",
      "杭州新光照明有限公司",
      "李娜-新光照明",
      [[`有事打 ${OFFICE_MOBILE}`, 1]],
      "2026-11-02T15:00:00+08:00",
    );
    const report = await fx.replay([wang, li]);

    const [created, ...more] = customersWith(OFFICE_MOBILE);
    expect(more).toEqual([]);
    expect(created).toMatchObject({ name: "苏州恒力机电有限公司" });
    expect(report.threads.find((t) => t.contact === "wxid_li")?.erp.status).toBe("failed");
    expect((await fx.thread("wxid_li"))?.erp).toBeUndefined();
    const note = await waitFor(() => fx.controlReplies().find((t) => t.startsWith("⏸")), "the parked note");
    expect(note).toBe(
      `⏸ 李娜-新光照明 未同步：手机号 136****0000 已是 王强-恒力机电(${created!.khid}) 的号码，两个微信不会自动并成一个 ERP 客户。` +
        "若这不是 李娜-新光照明 的号码：/erp verify <正确手机号> 李娜-新光照明，再 /erp retry；若确是同一人，无需处理。",
    );
    // One note, not a second generic "sync failed" one.
    expect(fx.controlReplies().filter((t) => t.includes("李娜"))).toHaveLength(1);
    const audit = await fx.audit();
    expect(audit.filter((r) => r.operation === "decision.mobile_taken")).toMatchObject([
      { contact: "wxid_li", heldBy: "wxid_wang", mobile: "136****0000", outcome: "skipped" },
    ]);

    await fx.command("/erp verify 13677778888 李娜");
    await fx.command("/erp retry");
    await fx.app.sync.drain();
    expect(customersWith("13677778888")).toMatchObject([{ name: "杭州新光照明有限公司" }]);
    expect(customersWith(OFFICE_MOBILE)).toHaveLength(1);
  });

  it("two contacts with one number syncing side by side: one ERP customer, the other parked", async () => {
    fx = await startAppFixture({ mode: "live", config: { scorer: { idleSeconds: 1 } } });
    const ask = "想采购你们的系统，预算五十万，报价单发我，下周面谈签合同";
    // Both threads go idle together: their sync jobs run side by side (sync.concurrency 4).
    await fx.customerSays(
      { id: "wxid_gao", name: "高峰" },
      `你好，我是宁波高科电子有限公司的高峰，${ask}，电话 ${OFFICE_MOBILE}`,
    );
    await fx.customerSays({ id: "wxid_ma", name: "马丽" }, `你好，我是温州佳美服饰有限公司的马丽，${ask}，电话 ${OFFICE_MOBILE}`);
    const note = await waitFor(() => fx.controlReplies().find((t) => t.startsWith("⏸")), "the parked note", 60_000);
    await fx.app.sync.drain();
    expect(customersWith(OFFICE_MOBILE)).toHaveLength(1);
    const linked = [await fx.thread("wxid_gao"), await fx.thread("wxid_ma")].filter((t) => t?.erp);
    expect(linked).toHaveLength(1);
    expect(note).toContain(`手机号 136****0000 已是 ${linked[0]!.id === "wxid_gao" ? "高峰" : "马丽"}(`);
  }, 120_000);
});

describe("a customer linked to a record wxerp did not create", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  it("is announced with the remedy; /erp unlink removes the link, audited, and the next sync creates its own customer", async () => {
    fx = await startAppFixture();
    await fx.replay([EXISTING, HOT]);
    expect((await fx.thread(EXISTING.contact.id))?.erp).toMatchObject({ ord: EXISTING_ORD, linked: "mobile" });
    const note = await waitFor(() => fx.controlReplies().find((t) => t.startsWith("🔗")), "the link note");
    expect(note).toMatch(
      /^🔗 陈明-明达机械 已关联到 ERP 中已有的客户 上海明达机械有限公司（KH\d+, ord 101）（按手机号匹配，该记录不是 wxerp 创建的），之后的跟进写在这条记录上。若不是同一客户：\/erp unlink 陈明-明达机械$/,
    );
    // Only the record people keyed in is announced, not the one wxerp created for 张三.
    expect(fx.controlReplies().filter((t) => t.startsWith("🔗"))).toHaveLength(1);

    const unlinked = await fx.command("/erp unlink 陈明-明达机械");
    expect(unlinked.map((r) => r.text)).toEqual([
      expect.stringMatching(/^✂️ 已解除 陈明-明达机械 与 ERP 客户 KH\d+（ord 101）的关联。ERP 中的记录和已写入的跟进未改动。/),
    ]);
    const thread = await fx.thread(EXISTING.contact.id);
    expect(thread?.erp).toBeUndefined();
    expect(thread?.unlinkedOrds).toEqual([EXISTING_ORD]);
    expect((await fx.audit()).filter((r) => r.operation === "decision.unlink")).toMatchObject([
      { actor: "wxid_sales", contact: EXISTING.contact.id, ord: EXISTING_ORD, how: "mobile", outcome: "ok" },
    ]);

    const synced = await fx.command("/erp sync 陈明-明达机械");
    expect(synced[0]!.text).toMatch(/^✅ 已创建 陈明-明达机械：WX\d+/);
    const own = await fx.thread(EXISTING.contact.id);
    expect(own?.erp?.ord).not.toBe(EXISTING_ORD);
    expect(own?.erp?.linked).toBeUndefined();
  });

  it("refuses to unlink a record wxerp created, or a customer not in the ERP, and says why", async () => {
    fx = await startAppFixture();
    await fx.replay([HOT]);
    const own = await fx.command("/erp unlink 张三");
    expect(own[0]!.text).toMatch(
      /^❌ unlink 失败：张三-远航科技\(WX\d+\) 的 ERP 客户 WX\d+ 是 wxerp 为其新建的（解除后下次同步仍会关联回这条记录）$/,
    );
    expect((await fx.thread(HOT.contact.id))?.erp).toBeDefined();
    await fx.customerSays({ id: "wxid_new", name: "新客户" }, "你好");
    const none = await fx.command("/erp unlink 新客户");
    expect(none[0]!.text).toBe("❌ unlink 失败：新客户 没有关联 ERP 客户（已记录，请稍后重试或查看日志）");
  });
});
