import { afterEach, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { App } from "../../src/app/app.ts";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { ensureMockContact, FILE_HELPER_ID, loginMock } from "../../src/bot/mock-contacts.ts";
import { startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { conversation, HOT, HOT_MOBILE, WARM } from "../erp-plugin/conversations.ts";
import { type AppFixture, MockChat, startAppFixture, waitFor } from "../support/app-fixture.ts";

/**
 * Two salespeople's WeChat accounts in one process, on one ERP (the emulator over HTTP):
 * each account's mock WeChat carries its own conversations, commands and notes, and with
 * assignment.mode owner a customer belongs to the salesperson who chats with them first.
 */
const TOKEN = "accounts-dashboard-token-123";
const TEAM = {
  wechat: {
    accounts: [
      { id: "wang", erpUser: "123" },
      { id: "li", erpUser: "456" },
    ],
  },
  assignment: { mode: "owner" },
};

/**
 * Logs an account's mock WeChat in as its salesperson; returns what the bot sends through it
 * (its own control chat) from now on, and a way to type there.
 */
async function accountChat(app: App, id: string) {
  const runtime = app.accounts.find((a) => a.account.id === id)!.runtime!;
  const mocker = runtime.mocker!;
  const self = loginMock(mocker, { id: `wxid_sales_${id}`, name: `销售 ${id}` });
  await waitFor(() => runtime.isLoggedIn(), `account ${id} logged in`);
  const chat = new MockChat(app, self);
  const fileHelper = ensureMockContact(mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
  return {
    control: () => chat.sent.filter((m) => m.to === FILE_HELPER_ID).map((m) => m.text),
    /** A customer types to this account's salesperson. */
    async customerSays(spec: { id: string; name: string }, text: string): Promise<void> {
      await chat.say(ensureMockContact(mocker, spec), self, text);
    },
    async command(text: string): Promise<string[]> {
      const before = chat.sent.length;
      await chat.say(self, fileHelper, text);
      return chat.sent.slice(before).map((m) => `${m.to}: ${m.text}`);
    },
  };
}

describe("two WeChat accounts in one process", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  it("one customer chatting with both: one ERP customer owned by the first salesperson, follow-ups from both, a note to the second", async () => {
    fx = await startAppFixture({ config: TEAM });
    // 张三 writes to 王 first, then (the same WeChat contact, the same mobile) to 李 in the afternoon.
    const toLi = {
      ...conversation(
        HOT.contact,
        [
          ["customer", "李经理你好，我是苏州远航科技的张三，王经理给过报价了，我想再问问售后", 0],
          ["customer", "我的电话 13800138000，售后服务怎么收费？我们下周签合同", 1],
        ],
        "2026-11-02T15:00:00+08:00",
      ),
      account: "li",
    };
    const li = await accountChat(fx.app, "li");
    const report = await fx.replay([HOT, WARM, toLi]);
    expect(report.errors).toEqual([]);

    const customers = fx.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE);
    expect(customers).toHaveLength(1);
    const [customer] = customers;
    // Owner mode: the ERP user of the account that chatted first, never taken away by the second.
    expect(customer!.owners).toEqual(["123"]);
    expect(fx.snapshot().assignments.filter((a) => a.ord === customer!.ord)).toHaveLength(1);
    const followups = fx.snapshot().followups.filter((f) => f.ord === customer!.ord);
    expect(followups).toHaveLength(2);
    // Each conversation's follow-up carries its own reference (customer#n/conversation tag).
    const tags = followups.map((f) => /\[wxerp [^\]]+\/([0-9a-f]{6})\]/.exec(f.intro)?.[1]);
    expect(new Set(tags).size).toBe(2);

    // Two threads: the same WeChat contact on two accounts.
    const wangThread = await fx.thread(HOT.contact.id);
    const liThread = await fx.thread(`li:${HOT.contact.id}`);
    expect(wangThread?.erp?.ord).toBe(customer!.ord);
    expect(liThread).toMatchObject({ account: "li", erp: { ord: customer!.ord, linked: "mobile", followups: 1 } });
    expect(report.threads.find((t) => t.account === "li")?.erp.status).toBe("updated");

    // The note goes to 李's control chat, not 王's.
    const note = await waitFor(() => li.control().find((t) => t.startsWith("👥")), "the note in li's control chat");
    expect(note).toBe(
      `👥 张三-远航科技 已是 ERP 用户 123 的客户（${customer!.khid}），不会转给你；你和 张三-远航科技 的聊天会作为跟进记录写在这位客户上。`,
    );
    expect(fx.controlReplies().filter((t) => t.startsWith("👥"))).toEqual([]);
  });

  it("a command answers in the control chat it was typed in and sees that account's customers only", async () => {
    fx = await startAppFixture({ config: TEAM });
    const li = await accountChat(fx.app, "li");
    await fx.replay([HOT, { ...WARM, account: "li" }]);

    // 李四 chats with 李 only: 王's control chat does not find him, 李's does.
    const onWang = await fx.command("/erp status 李四-恒信贸易");
    expect(onWang.map((m) => m.to)).toEqual([FILE_HELPER_ID]);
    expect(onWang[0]!.text).toContain("找不到客户");
    const onLi = await li.command("/erp status 李四-恒信贸易");
    expect(onLi).toHaveLength(1);
    expect(onLi[0]).toContain("李四-恒信贸易");
    expect(onLi[0]).not.toContain("找不到客户");
    // And 张三 (王's) is unknown to 李.
    const zhangOnLi = await li.command("/erp status 张三-远航科技");
    expect(zhangOnLi[0]).toContain("找不到客户");
    // 李四's customer went to 李's ERP user (owner mode).
    const liOrd = (await fx.thread(`li:${WARM.contact.id}`))?.erp?.ord;
    expect(fx.snapshot().customers.find((c) => c.ord === liOrd)?.owners).toEqual(["456"]);
  });

  it("/erp ignore on the second account sets that account's contact aside, not the first account's", async () => {
    fx = await startAppFixture({ config: TEAM });
    const li = await accountChat(fx.app, "li");
    await fx.replay([WARM, { ...WARM, account: "li" }]);
    const replies = await li.command("/erp ignore 李四-恒信贸易");
    expect(replies.join("\n")).toContain("李四-恒信贸易");
    const liKey = `li:${WARM.contact.id}`;
    const before = (await fx.thread(liKey))!.messageCount;
    await li.customerSays(WARM.contact, "李经理，报价什么时候发？");
    expect((await fx.thread(liKey))!.messageCount).toBe(before);
    // 王's conversation with the same person goes on.
    const wangBefore = (await fx.thread(WARM.contact.id))!.messageCount;
    await fx.customerSays(WARM.contact, "王经理，报价什么时候发？");
    expect((await fx.thread(WARM.contact.id))!.messageCount).toBe(wangBefore + 1);
  });

  it("the dashboard filters conversations by account and shows which accounts are logged in", { timeout: 120_000 }, async () => {
    // The shortest grace period before a logged-out WeChat makes /healthz answer 503.
    fx = await startAppFixture({ config: { ...TEAM, wechat: { ...TEAM.wechat, healthGraceSeconds: 10 } } });
    await accountChat(fx.app, "li");
    await fx.replay([HOT, { ...WARM, account: "li" }]);
    const dashboard = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sources: dashboardSources(fx.app),
      logger: silentLogger(),
    });
    try {
      const get = async (path: string) => {
        const response = await fetch(`${dashboard.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(response.status).toBe(200);
        return response.text();
      };
      const names = (threads: Array<{ thread: { id: string } }>) => threads.map((t) => t.thread.id).sort();
      expect(names(JSON.parse(await get("/api/threads?account=li")))).toEqual([`li:${WARM.contact.id}`]);
      expect(names(JSON.parse(await get("/api/threads?account=wang")))).toEqual([HOT.contact.id]);
      expect(names(JSON.parse(await get("/api/threads")))).toHaveLength(2);

      const liPage = await get("/?account=li");
      expect(liPage).toContain("李四-恒信贸易");
      expect(liPage).not.toContain("张三-远航科技");
      // Both accounts logged in (the mock WeChat of each), each a filter link.
      expect(liPage).toMatch(/data-account="wang" data-logged-in="true"/);
      expect(liPage).toMatch(/data-account="li" data-logged-in="true"/);
      const wechat = await get("/wechat");
      expect(wechat).toMatch(
        /<tr data-account="li" data-state="已登录">.*<td>456<\/td>.*已登录<\/td><td>–<\/td><td>wxid_sales_li<\/td>/,
      );
      expect(await fetch(`${dashboard.url}/healthz`).then((r) => r.status)).toBe(200);

      const metrics = await get("/metrics");
      expect(metrics).toMatch(/^wxerp_wechat_account_logged_in\{account="li"\} 1$/m);
      // Every account's WeChat and send figures, under the same names, one series per account.
      expect(metrics).toMatch(/^wxerp_wechat_logged_in\{account="wang"\} 1$/m);
      expect(metrics).toMatch(/^wxerp_wechat_logged_in\{account="li"\} 1$/m);
      expect(metrics).toMatch(/^wxerp_wechat_healthy\{account="li"\} 1$/m);
      expect(metrics).toMatch(/^wxerp_wechat_notices_waiting\{account="li"\} \d+$/m);
      expect(metrics).toMatch(/^wxerp_wechat_notices_waiting\{account="wang"\} \d+$/m);
      expect(metrics.match(/^# TYPE wxerp_wechat_logged_in /gm)).toHaveLength(1);
      expect(metrics).not.toMatch(/^wxerp_wechat_logged_in \d/m);

      // 李 logs out: the page and the metric say so.
      await fx.app.accounts[1]!.runtime!.mocker!.puppet.logout("账号在其他设备登录，被踢下线");
      await waitFor(() => !fx.app.accounts[1]!.runtime!.isLoggedIn(), "li logged out");
      expect(await get("/")).toMatch(/data-account="li" data-logged-in="false"/);
      expect(await get("/metrics")).toMatch(/^wxerp_wechat_account_logged_in\{account="li"\} 0$/m);
      expect(await get("/metrics")).toMatch(/^wxerp_wechat_logged_in\{account="li"\} 0$/m);
      expect(await get("/metrics")).toMatch(/^wxerp_wechat_account_logged_in\{account="wang"\} 1$/m);
      // /healthz is not healthy while any account is logged out (past the grace period), and says which.
      const health = await waitFor(
        async () => {
          const response = await fetch(`${dashboard.url}/healthz`);
          return response.status === 503 ? response : undefined;
        },
        "/healthz 503 once li's grace period is over",
        60_000,
      );
      expect(await health.json()).toMatchObject({ ok: false, account: "li", reason: expect.stringMatching(/^account li: /) });

      // 李's gateway asks for a scan: 李's row links to 李's QR code, which ?account=li shows.
      fx.app.accounts[1]!.runtime!.mocker!.puppet.emit("scan", {
        qrcode: "https://login.weixin.qq.com/l/li-scan-me",
        status: types.ScanStatus.Waiting,
      });
      await waitFor(() => fx.app.accounts[1]!.runtime!.status().qrcode !== undefined, "li's QR code");
      const waiting = await get("/wechat");
      expect(waiting).toMatch(
        /<tr data-account="li" data-state="等待扫码">.*<a class="qr-link" href="\/wechat\?account=li#login-qr">/,
      );
      expect(waiting).toMatch(/<tr data-account="wang" data-state="已登录">.*<td>–<\/td><td>wxid_sales<\/td>/);
      const liQr = await get("/wechat?account=li");
      expect(liQr).toContain("以下为账号 li。");
      expect(liQr).toContain('<div id="login-qr">');
      expect(liQr).toContain("https://login.weixin.qq.com/l/li-scan-me");
    } finally {
      await dashboard.close();
    }
  });

  it("a replay line naming an account that is not configured is reported with its line, the rest still runs", async () => {
    fx = await startAppFixture({ config: TEAM });
    const report = await fx.replay([{ ...WARM, account: "zhao" }, HOT]);
    expect(report.errors).toEqual([{ line: 1, message: 'account: no WeChat account "zhao" (wechat.accounts has wang, li)' }]);
    expect(report.totals.created).toBe(1);
  });
});
