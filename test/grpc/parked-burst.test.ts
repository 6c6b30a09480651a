/**
 * An ERP outage that stops many customers' sync jobs, over the real puppet-service path: how
 * many WeChat messages the salesperson's account sends, and how far apart. The send queue
 * runs on a manual clock in the first tests (exact, and nothing waits real seconds) and on
 * the real clock with the production pacing in the last one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorOptions } from "../../plugins/zhibang-erp/emulator/index.ts";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import type { SendQueueOverrides } from "../../src/sending/wechat-sends.ts";
import { type GatewayApp, type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";
import { ManualClock } from "../support/manual-clock.ts";

const ERP_DOWN: Partial<EmulatorOptions> = { failureRate: 1, failureKinds: ["http500"], failurePhase: "before" };
const PASSWORD_CHANGED: Partial<EmulatorOptions> = { credentials: { username: "wxerp", password: "changed-by-the-admin" } };

let gateway: GrpcGateway;
let wx: GatewayApp | undefined;

beforeAll(async () => {
  gateway = await startGrpcGateway();
}, 120_000);
afterEach(async () => {
  await wx?.stop();
  wx = undefined;
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
}, 120_000);

async function startBot(emulator: Partial<EmulatorOptions>, sending: SendQueueOverrides): Promise<GatewayApp> {
  wx = await gateway.startApp({
    config: {
      // Two attempts, quick back-off: the jobs give up within seconds.
      sync: { maxAttempts: 2 },
      // Scored as soon as the second message is in.
      scorer: { maxPendingMessages: 2 },
      // The alert timer stays out of the count; the first test checks alerts by hand.
      alerts: { checkIntervalSeconds: 3600 },
    },
    emulator,
    sending,
  });
  return wx;
}

/** `count` hot leads type to the salesperson over gRPC; resolves once intake has them all. */
async function leadsArrive(bot: GatewayApp, count: number, prefix: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const lead = gateway.customer({ id: `wxid_${prefix}${i}`, name: `${prefix}客户${i}` });
    ids.push(bot.says(lead, `你好，我是苏州第${i}机械有限公司的王${i}，想要一份正式报价单，我们要20台，预算50万`));
    ids.push(bot.says(lead, `我的手机 1381111${String(1000 + i)}，下周二可以来我们公司面谈吗？尽快签合同`));
  }
  await bot.handled(...ids);
}

async function parked(bot: GatewayApp, count: number): Promise<void> {
  await waitFor(async () => (await bot.app.outbox.counts()).failed === count, `${count} parked jobs`, 120_000);
}

/** A parked job's notice follows its parking: wait until the queue holds `count` notices. */
async function noticesWaiting(bot: GatewayApp, count: number): Promise<void> {
  await waitFor(() => bot.app.sends!.waiting().notices === count, `${count} notices waiting`);
}

async function sendsTotal(bot: GatewayApp, kind: "reply" | "digest"): Promise<number> {
  const metric = await bot.app.registry.getSingleMetric("wxerp_wechat_sends_total")?.get();
  return metric?.values.find((v) => v.labels.kind === kind && v.labels.outcome === "sent")?.value ?? 0;
}

describe("a burst of failures becomes one message", () => {
  it("an ERP outage that parks 50 jobs, plus the two alerts it raises: one WeChat message", async () => {
    const clock = new ManualClock();
    const bot = await startBot(ERP_DOWN, { clock });
    await leadsArrive(bot, 50, "down");
    await parked(bot, 50);
    await bot.app.alerts.check();
    // Both figures are bad now: failed ERP calls, and the sync success rate.
    expect(bot.app.alerts.activeAlerts().map((a) => a.id)).toEqual(["success_rate", "failures"]);
    // The queue's clock has not moved: everything is still gathering (a job's notice follows its parking).
    await noticesWaiting(bot, 52);
    expect(bot.controlReplies()).toEqual([]);

    await clock.advance(10_000);
    await waitFor(() => bot.controlReplies().length > 0, "the digest", 30_000);
    await waitFor(
      () => bot.app.sends!.waiting().notices === 0 && bot.app.alerts.activeAlerts().every((a) => a.delivered),
      "all sent",
    );
    const [digest] = bot.controlReplies();
    console.log(`50 parked jobs and two alerts: ${bot.sent().length} WeChat message(s):\n${digest}`);
    expect(bot.sent()).toHaveLength(1);
    expect(await sendsTotal(bot, "digest")).toBe(1);
    expect(digest).toMatch(/^📋 52 条通知合并发送：\n❌ 50 个客户同步 ERP 失败（已暂停）：down客户\d+、/);
    expect(digest).toContain("等 50 个");
    expect(digest).toContain("修复后发送 /erp retry（详见 /erp queue）");
    expect(digest).toMatch(/⚠️ 近一小时 ERP 同步成功率 0%/);
    expect(digest).toMatch(/⚠️ 近一小时 ERP 调用失败 \d+ 次/);

    // The salesperson follows the digest's advice; the reply waits only for the paced pause.
    const typed = bot.selfSays(gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" }), "/erp queue");
    await waitFor(() => bot.app.sends!.waiting().replies === 1, "the reply queued");
    await clock.advance(3_000);
    await bot.handled(typed);
    expect(bot.controlReplies()).toHaveLength(2);
    expect(bot.controlReplies()[1]).toContain("/erp retry");
  }, 300_000);

  it("an ERP password change stops every job at the refused login: one message with the cure", async () => {
    const clock = new ManualClock();
    const bot = await startBot(PASSWORD_CHANGED, { clock });
    await leadsArrive(bot, 20, "pw");
    await parked(bot, 20);
    await noticesWaiting(bot, 20);
    await clock.advance(10_000);
    await waitFor(() => bot.controlReplies().length > 0, "the digest", 30_000);
    await waitFor(() => bot.app.sends!.waiting().notices === 0, "nothing left to send");
    expect(bot.controlReplies()).toHaveLength(1);
    const lines = bot.controlReplies()[0]!.split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^❌ 20 个客户同步 ERP 失败（已暂停）：(pw客户\d+、){7}pw客户\d+ 等 20 个。$/),
      "原因：ERP 拒绝登录：请修正 WXERP_ERP_USERNAME/WXERP_ERP_PASSWORD（20 个）",
      "修复后发送 /erp retry（详见 /erp queue）",
    ]);
  }, 300_000);
});

describe("with the production pacing and the real clock", () => {
  it("50 parked jobs: at most a digest and one follow-up, and every send at least a second after the one before", async () => {
    const bot = await startBot(ERP_DOWN, {});
    const started = Date.now();
    await leadsArrive(bot, 50, "real");
    await parked(bot, 50);
    // The last parked notice is gathered for 10 s (at most 60 s after the first one).
    await waitFor(() => customersIn(bot.controlReplies()) === 50, "all 50 customers reported", 120_000);
    const digests = bot.controlReplies();
    const typed = bot.selfSays(gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" }), "/erp queue");
    await bot.handled(typed);
    const sent = bot.sent();
    const at = bot.sentAt();
    const gaps = at.slice(1).map((time, i) => time - at[i]!);
    console.log(
      `50 parked jobs with the production pacing: ${digests.length} WeChat message(s) for them ` +
        `(${digests.map((d) => d.split("：")[0]).join(" | ")}), then the /erp queue reply; ` +
        `gaps between sends ${gaps.join(", ")} ms; ${Math.round((Date.now() - started) / 1000)} s in all`,
    );
    expect(digests.length).toBeLessThanOrEqual(2);
    expect(sent).toHaveLength(digests.length + 1);
    expect(sent.at(-1)!.text).toContain("/erp retry");
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
  }, 300_000);
});

/** How many customers the parked-job messages name: "❌ 12 个客户同步 ERP 失败…" or one "❌ 张三 同步 ERP 失败…". */
function customersIn(messages: string[]): number {
  let total = 0;
  for (const message of messages) {
    const digest = /❌ (\d+) 个客户同步 ERP 失败/.exec(message);
    if (digest) total += Number(digest[1]);
    else if (/❌ \S+ 同步 ERP 失败/.test(message)) total += 1;
  }
  return total;
}
