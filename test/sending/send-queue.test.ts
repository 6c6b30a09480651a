/**
 * The send queue on a manual clock: what leaves, when, and in how many messages. The
 * WeChat side is a recorder that can be told to fail or hang (the end-to-end tests over
 * gRPC use the real puppet-service path).
 */
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logging/logger.ts";
import type { Notice, NoticeOutcome, NoticeTopic } from "../../src/sending/notice.ts";
import type { SendPacing } from "../../src/sending/pacing.ts";
import { SendQueue, SendRefusedError } from "../../src/sending/send-queue.ts";
import { waitFor } from "../support/app-fixture.ts";
import { ManualClock } from "../support/manual-clock.ts";

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const PACING: SendPacing = {
  minIntervalMs: SECOND,
  jitterMs: 2 * SECOND,
  noticesPerHour: 20,
  gatherMs: 10 * SECOND,
  maxGatherMs: 60 * SECOND,
  timeoutMs: 30 * SECOND,
  retryMs: 60 * SECOND,
};

interface Sent {
  at: number;
  to: string;
  text: string;
}

function setup(options: { pacing?: Partial<SendPacing>; random?: () => number } = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const sent: Sent[] = [];
  const wechat = {
    loggedIn: true,
    /** What the next sends do: "ok", "fail" (throws) or "hang" (never answers). */
    next: [] as Array<"ok" | "fail" | "hang">,
    attempts: 0,
  };
  const queue = new SendQueue({
    send: async (to, text) => {
      wechat.attempts++;
      const mode = wechat.next.shift() ?? "ok";
      if (mode === "fail") throw new Error("the gateway refused the send");
      if (mode === "hang") return new Promise<void>(() => undefined);
      sent.push({ at: clock.now() - start, to, text });
    },
    canSend: () => wechat.loggedIn,
    controlChat: "filehelper",
    locale: "zh",
    pacing: { ...PACING, ...options.pacing },
    logger: silentLogger(),
    clock,
    random: options.random ?? (() => 0.5),
  });
  return { clock, queue, sent, wechat };
}

const parked: NoticeTopic = {
  id: "parked",
  summarise: (notices) => `${notices.length} 个客户同步失败：${notices.map((n) => n.facts?.name).join("、")}`,
};

function parkedNotice(name: string): Notice {
  return { text: `❌ ${name} 同步失败`, topic: parked, facts: { name } };
}

function gaps(sent: Sent[]): number[] {
  return sent.slice(1).map((s, i) => s.at - sent[i]!.at);
}

describe("pacing", () => {
  it("leaves at least the shortest pause, plus jitter, between two sends", async () => {
    const draws = [0, 0.99, 0.5, 0.25];
    const { clock, queue, sent } = setup({ random: () => draws.shift() ?? 0 });
    const replies = ["a", "b", "c", "d", "e"].map((text) => queue.reply("filehelper", text));
    await clock.advance(20 * SECOND);
    await Promise.all(replies);
    expect(sent.map((s) => s.text)).toEqual(["a", "b", "c", "d", "e"]);
    // min 1 s + up to 2 s of jitter: the draws 0, 0.99, 0.5, 0.25.
    expect(gaps(sent)).toEqual([1000, 2980, 2000, 1500]);
    for (const gap of gaps(sent)) expect(gap).toBeGreaterThanOrEqual(SECOND);
  });

  it("folds a burst of 50 notices into one message once the burst is over", async () => {
    const { clock, queue, sent } = setup();
    const outcomes: Array<Promise<NoticeOutcome>> = [];
    for (let i = 0; i < 50; i++) {
      outcomes.push(queue.notify(parkedNotice(`客户${i}`)));
      await clock.advance(200);
    }
    expect(sent).toEqual([]);
    await clock.advance(10 * SECOND);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(/^50 个客户同步失败：客户0、客户1、/);
    expect(await Promise.all(outcomes)).toEqual(Array(50).fill("sent"));
  });

  it("sends what a burst that keeps coming has gathered at least once a minute", async () => {
    const { clock, queue, sent } = setup();
    for (let i = 0; i < 100; i++) {
      void queue.notify(parkedNotice(`客户${i}`));
      await clock.advance(SECOND);
    }
    await clock.advance(15 * SECOND);
    // 100 s of notices one second apart: what came in the first minute, then the rest 10 s after the last one.
    expect(sent.map((s) => s.text.split("：")[0])).toEqual(["60 个客户同步失败", "40 个客户同步失败"]);
    expect(sent[0]!.at).toBe(60 * SECOND);
  });

  it("sends a lone notice as it is, after the gathering pause", async () => {
    const { clock, queue, sent } = setup();
    const outcome = queue.notify({ text: "⚠️ 近一小时 ERP 调用失败 11 次" });
    await clock.advance(9 * SECOND);
    expect(sent).toEqual([]);
    await clock.advance(SECOND);
    expect(sent).toEqual([{ at: 10 * SECOND, to: "filehelper", text: "⚠️ 近一小时 ERP 调用失败 11 次" }]);
    expect(await outcome).toBe("sent");
  });
});

describe("command replies", () => {
  it("a reply goes out at once while notices gather, and before a digest that is due", async () => {
    const { clock, queue, sent } = setup();
    void queue.notify(parkedNotice("张三"));
    void queue.notify(parkedNotice("李四"));
    await clock.advance(3 * SECOND);
    const first = queue.reply("filehelper", "队列：2 个失败任务");
    await clock.advance(0);
    await first;
    expect(sent).toEqual([{ at: 3 * SECOND, to: "filehelper", text: "队列：2 个失败任务" }]);

    // At 9 s a reply; at 9.5 s another, which waits for the pause until 11 s. The digest is due
    // from 10 s, but the reply typed meanwhile goes first.
    await clock.advance(6 * SECOND);
    void queue.reply("filehelper", "张三：同步失败");
    await clock.advance(SECOND / 2);
    void queue.reply("filehelper", "李四：同步失败");
    await clock.advance(10 * SECOND);
    expect(sent.map((s) => [s.at, s.text])).toEqual([
      [3 * SECOND, "队列：2 个失败任务"],
      [9 * SECOND, "张三：同步失败"],
      [11 * SECOND, "李四：同步失败"],
      [13 * SECOND, "2 个客户同步失败：张三、李四"],
    ]);
  });

  it("a reply right after a digest waits only the paced pause", async () => {
    const { clock, queue, sent } = setup();
    void queue.notify(parkedNotice("张三"));
    await clock.advance(10 * SECOND);
    const reply = queue.reply("filehelper", "/erp queue 的回复");
    await clock.advance(2 * SECOND);
    await reply;
    expect(gaps(sent)).toEqual([2 * SECOND]);
  });

  it("a reply while WeChat is logged out fails at once, with the reason", async () => {
    const { queue, wechat } = setup();
    wechat.loggedIn = false;
    await expect(queue.reply("filehelper", "hi")).rejects.toThrow(SendRefusedError);
    await expect(queue.reply("filehelper", "hi")).rejects.toThrow("not logged in to WeChat");
  });
});

describe("the hourly cap", () => {
  it("holds notices past the cap and sends them as one digest when the hour allows", async () => {
    const { clock, queue, sent } = setup({ pacing: { noticesPerHour: 3, gatherMs: 0 } });
    for (let i = 0; i < 10; i++) {
      void queue.notify({ text: `⚠️ 通知 ${i}` });
      await clock.advance(5 * 60 * SECOND);
    }
    // 50 minutes, a notice every 5: three go out, seven wait.
    expect(sent.map((s) => s.text)).toEqual(["⚠️ 通知 0", "⚠️ 通知 1", "⚠️ 通知 2"]);
    expect(queue.waiting().notices).toBe(7);
    await clock.advance(HOUR);
    expect(sent).toHaveLength(4);
    // The first free slot comes an hour after the first send: everything held so far, in one message.
    expect(sent[3]!.at).toBe(HOUR);
    expect(sent[3]!.text).toBe(
      ["📋 7 条通知合并发送：", "⚠️ 通知 3", "⚠️ 通知 4", "⚠️ 通知 5", "⚠️ 通知 6", "⚠️ 通知 7", "⚠️ 通知 8", "⚠️ 通知 9"].join("\n"),
    );
    for (const from of sent) expect(sent.filter((s) => s.at >= from.at && s.at < from.at + HOUR).length).toBeLessThanOrEqual(3);
  });

  it("does not hold command replies", async () => {
    const { clock, queue, sent } = setup({ pacing: { noticesPerHour: 1, gatherMs: 0 } });
    void queue.notify({ text: "⚠️ 一" });
    await clock.advance(5 * SECOND);
    void queue.notify({ text: "⚠️ 二" });
    const reply = queue.reply("filehelper", "回复");
    await clock.advance(5 * SECOND);
    await reply;
    expect(sent.map((s) => s.text)).toEqual(["⚠️ 一", "回复"]);
    expect(queue.waiting().notices).toBe(1);
  });
});

describe("failures and timeouts", () => {
  it("a send that hangs times out; the notice is kept and sent on the retry", async () => {
    const { clock, queue, sent, wechat } = setup({ pacing: { timeoutMs: 50 } });
    wechat.next = ["hang"];
    let outcome: NoticeOutcome | undefined;
    void queue.notify({ text: "⚠️ ERP 响应慢" }).then((o) => {
      outcome = o;
    });
    await clock.advance(10 * SECOND);
    expect(wechat.attempts).toBe(1);
    // The timeout runs on real time (50 ms here): wait until the queue has taken the notice back.
    await waitFor(() => queue.waiting().notices === 1, "the timed-out notice back in the queue");
    expect(outcome).toBeUndefined();
    await clock.advance(60 * SECOND);
    expect(wechat.attempts).toBe(2);
    expect(sent.map((s) => s.text)).toEqual(["⚠️ ERP 响应慢"]);
    await waitFor(() => outcome, "the outcome");
    expect(outcome).toBe("sent");
  });

  it("a reply that hangs fails with the timeout (the router logs it)", async () => {
    const { clock, queue, wechat } = setup({ pacing: { timeoutMs: 50 } });
    wechat.next = ["hang"];
    const reply = queue.reply("filehelper", "回复");
    await clock.advance(0);
    await expect(reply).rejects.toThrow("WeChat did not confirm the send to filehelper within 0.05 s");
  });

  it("a failed send is tried again with what arrived meanwhile, in one message", async () => {
    const { clock, queue, sent, wechat } = setup();
    wechat.next = ["fail"];
    void queue.notify(parkedNotice("张三"));
    await clock.advance(10 * SECOND);
    expect(sent).toEqual([]);
    void queue.notify(parkedNotice("李四"));
    await clock.advance(60 * SECOND);
    expect(wechat.attempts).toBe(2);
    expect(sent.map((s) => s.text)).toEqual(["2 个客户同步失败：张三、李四"]);
  });

  it("notices wait while WeChat is logged out and go out when it logs in again", async () => {
    const { clock, queue, sent, wechat } = setup();
    wechat.loggedIn = false;
    void queue.notify({ text: "⚠️ 近一小时 ERP 调用失败 11 次" });
    await clock.advance(30 * 60 * SECOND);
    expect(sent).toEqual([]);
    expect(wechat.attempts).toBe(0);
    wechat.loggedIn = true;
    queue.resume();
    await clock.advance(0);
    expect(sent.map((s) => s.text)).toEqual(["⚠️ 近一小时 ERP 调用失败 11 次"]);
  });

  it("a notice no longer relevant when its turn comes is withdrawn, not sent", async () => {
    const { clock, queue, sent } = setup();
    let relevant = true;
    const outcome = queue.notify({ text: "⚠️ 成功率 40%", stillRelevant: () => relevant });
    relevant = false;
    await clock.advance(10 * SECOND);
    expect(sent).toEqual([]);
    expect(await outcome).toBe("withdrawn");
  });

  it("stopping drops what waits (it is logged) and refuses new replies", async () => {
    const { queue } = setup();
    const outcome = queue.notify({ text: "⚠️ 一" });
    await queue.stop();
    expect(await outcome).toBe("dropped");
    await expect(queue.reply("filehelper", "x")).rejects.toThrow("stopping");
  });
});
