import { afterEach, describe, expect, it } from "vitest";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { erpOf } from "../support/erp-of.ts";
import { COLD, COLD_MOBILE, conversation, expectedJz, HOT, HOT_MOBILE } from "./conversations.ts";

/**
 * What happens after the first sync (docs/architecture.md §3.7): colleagues of a company already in the
 * ERP become its contact people, and later conversation produces follow-ups at most once
 * per followup.minIntervalMinutes of conversation time, and only with new content.
 */
describe("colleagues and later conversations", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  it("a colleague of a company already in the ERP is added to it as a contact person, not created", async () => {
    fx = await startAppFixture();
    // Someone keyed the company in by hand, with ASCII brackets and a trailing space.
    const company = await erpOf(fx.app).client.createCustomer({
      intsort: 1,
      name: "(深圳)华通电子有限公司 ",
      sort1: "17,146",
      personName: "周敏",
      mobile: "13600001111",
      jz: 289,
      intro: "手工录入的老客户",
    });
    const before = fx.snapshot();
    const colleague = conversation(
      { id: "wxid_liuqiang", name: "刘强" },
      [
        ["customer", "你好，我是（深圳）华通电子有限公司的刘强，周敏的同事", 0],
        ["customer", "我们想再采购一批设备，麻烦报个价，预算三十万，下周能见面谈合同吗", 1],
        ["customer", "我的手机 13566667777", 2],
      ],
      "2026-11-03T09:00:00+08:00",
    );
    const report = await fx.replay([colleague]);

    const after = fx.snapshot();
    expect(after.customers).toHaveLength(before.customers.length);
    expect(after.calls.allocate).toBe(before.calls.allocate);
    const people = after.contacts.filter((c) => c.company === company.ord);
    expect(people.map((p) => [p.person_name, p.mobile])).toEqual([
      ["周敏", "13600001111"],
      ["刘强", "13566667777"],
    ]);
    expect(report.threads[0]!.erp).toMatchObject({ status: "updated", ord: company.ord, linked: "company" });
    expect(after.followups.filter((f) => f.ord === company.ord)).toHaveLength(1);
    // A record keyed in by hand keeps its own 价值评估 and 备注.
    expect(after.customers.find((c) => c.ord === company.ord)).toMatchObject({ jz: "289", intro: "手工录入的老客户" });

    // Replayed again: the contact is not added twice.
    await fx.replay([colleague]);
    expect(fx.snapshot().contacts.filter((c) => c.company === company.ord)).toHaveLength(2);
  });

  it("a colleague of a lead the bot created joins that customer as a contact person", async () => {
    fx = await startAppFixture();
    await fx.replay([HOT]);
    const zhang = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!;
    const colleague = conversation(
      { id: "wxid_wanggong", name: "王工" },
      [
        ["customer", "您好，我是苏州远航科技有限公司的王工，张三让我联系您，想约个时间面谈MES报价", 0],
        ["customer", "我手机 13588889999，预算已经批了，尽快签合同", 1],
      ],
      "2026-11-02T15:00:00+08:00",
    );
    const report = await fx.replay([colleague]);
    const after = fx.snapshot();
    expect(after.customers.filter((c) => c.name === "苏州远航科技有限公司").map((c) => c.ord)).toEqual([zhang.ord]);
    expect(after.contacts.filter((c) => c.company === zhang.ord && c.mobile === "13588889999").map((c) => c.person_name)).toEqual(
      ["王工"],
    );
    expect(report.threads[0]!.erp).toMatchObject({ ord: zhang.ord, linked: "company" });
    expect(after.assignments.filter((a) => a.ord === zhang.ord)).toHaveLength(1);
    expect(after.followups.filter((f) => f.ord === zhang.ord)).toHaveLength(2);
  });

  it("a public-pool customer whose score reaches a user tier moves to that user; 价值评估 and 备注 follow the score", async () => {
    // A low user tier: a refusal early in the thread keeps the rolling score moderate.
    const tiers = [
      { minScore: 40, users: ["123"], name: "hunters" },
      { minScore: 0, public: true, name: "public" },
    ];
    fx = await startAppFixture({ config: { assignment: { tiers } } });
    // The salesperson overrides the cold score from the customer's chat, in the recording.
    await fx.replay([
      { ...COLD, messages: [...COLD.messages, { from: "sales", text: "/erp sync", at: "2026-11-02T15:12:00+08:00" }] },
    ]);
    const ord = fx.snapshot().customers.find((c) => c.mobile === COLD_MOBILE)!.ord;
    expect(fx.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ public: true, jz: "290" });

    const changedMind = conversation(
      COLD.contact,
      [
        ["customer", "赵总这边改主意了，想采购你们的ERP系统，预算八十万", 0],
        ["customer", "麻烦发一份报价单，下周二来我们公司面谈，尽快签合同", 1],
      ],
      "2026-11-05T09:00:00+08:00",
    );
    const report = await fx.replay([changedMind]);
    const score = report.threads[0]!.score!;
    expect(score).toBeGreaterThanOrEqual(40);
    const customer = fx.snapshot().customers.find((c) => c.ord === ord)!;
    const summary = (await fx.thread(COLD.contact.id))!.summary;
    expect(customer).toMatchObject({ public: false, owners: ["123"], jz: expectedJz(score), intro: summary });
    expect(
      fx
        .snapshot()
        .assignments.filter((a) => a.ord === ord)
        .map((a) => [a.member1, a.member2]),
    ).toEqual([
      ["1", ""],
      ["0", "123"],
    ]);
    expect(fx.snapshot().followups.filter((f) => f.ord === ord)).toHaveLength(2);
  });

  it("a customer owned by a user is never taken away when the score drops; its 价值评估 follows", async () => {
    fx = await startAppFixture();
    await fx.replay([HOT]);
    const ord = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!.ord;
    const cooled = conversation(
      HOT.contact,
      [["customer", "不好意思，我们不需要了，已经有供应商了，以后不用联系了", 0]],
      "2026-11-09T09:00:00+08:00",
    );
    const report = await fx.replay([cooled]);
    const score = report.threads[0]!.score!;
    expect(score).toBeLessThan(60);
    expect(fx.snapshot().customers.find((c) => c.ord === ord)).toMatchObject({ owners: ["123"], jz: expectedJz(score) });
    expect(fx.snapshot().assignments.filter((a) => a.ord === ord)).toHaveLength(1);
  });

  it("later messages: one follow-up per minIntervalMinutes of conversation time, none without new content", async () => {
    fx = await startAppFixture({ config: { followup: { minIntervalMinutes: 60 } } });
    await fx.replay([HOT]);
    const ord = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!.ord;
    const followups = () => fx.snapshot().followups.filter((f) => f.ord === ord);
    expect(followups()).toHaveLength(1);

    // 20 minutes after the first follow-up (10:09): new content, but within the hour.
    const soon = conversation(
      HOT.contact,
      [["customer", "对了，报价单里请把安装调试费单独列出来", 0]],
      "2026-11-02T10:30:00+08:00",
    );
    await fx.replay([soon]);
    expect(followups()).toHaveLength(1);
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("跟进 1");

    // Two hours later: one follow-up that covers both new messages.
    const later = conversation(
      HOT.contact,
      [
        ["customer", "报价单收到了，我们老板同意了，下周签合同", 0],
        ["sales", "太好了，合同今天发您", 2],
      ],
      "2026-11-02T12:09:00+08:00",
    );
    const report = await fx.replay([later]);
    expect(followups()).toHaveLength(2);
    expect(report.threads[0]!.followups).toBe(1);
    const latest = followups()[1]!.intro;
    expect(latest).not.toBe(followups()[0]!.intro);
    expect(latest).toContain((await fx.thread(HOT.contact.id))!.summary);

    // Nothing new: a re-score or a staff sync posts nothing.
    await fx.command("/erp score 张三");
    await fx.command("/erp sync 张三");
    await fx.app.sync.drain();
    expect(followups()).toHaveLength(2);
    // The customer was not touched otherwise either: still one assignment.
    expect(fx.snapshot().assignments.filter((a) => a.ord === ord)).toHaveLength(1);
  });

  it("only the customer's words are new content: the salesperson's chatter alone posts no follow-up", async () => {
    fx = await startAppFixture({ config: { followup: { minIntervalMinutes: 60 } } });
    await fx.replay([HOT]);
    const ord = fx.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)!.ord;
    const followups = () => fx.snapshot().followups.filter((f) => f.ord === ord);
    expect(followups()).toHaveLength(1);

    // Hours later the salesperson sends greetings and a reminder; the customer says nothing.
    const chatter = conversation(
      HOT.contact,
      [
        ["sales", "张经理，国庆快乐！", 0],
        ["sales", "方案已经发到您邮箱了，有空看看", 5],
      ],
      "2026-11-02T14:00:00+08:00",
    );
    await fx.replay([chatter]);
    expect(followups()).toHaveLength(1);

    const answer = conversation(HOT.contact, [["customer", "看过了，下周签合同", 0]], "2026-11-02T16:00:00+08:00");
    await fx.replay([answer]);
    expect(followups()).toHaveLength(2);
  });
});
