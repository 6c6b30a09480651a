import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, silentLogger } from "../../src/logging/logger.ts";
import { createScorer } from "../../src/scorer/index.ts";
import { createScoringScheduler } from "../../src/scoring/scheduler.ts";
import { appendMessages, minute, openTestStore, ScoredEvents, ScriptedScorer, scorerConfig } from "./fixtures.ts";

afterEach(() => {
  vi.useRealTimers();
});

async function setup(options: { config?: Record<string, unknown>; timers?: boolean; historyPerThread?: number } = {}) {
  const store = await openTestStore(options.historyPerThread);
  const scorer = new ScriptedScorer();
  const scored = new ScoredEvents();
  const logs: Array<Record<string, unknown>> = [];
  const scheduler = createScoringScheduler({
    store,
    scorer,
    config: scorerConfig(options.config),
    logger: createLogger({ level: "debug", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
    onScored: scored.onScored,
    timers: options.timers ?? true,
    now: () => new Date("2026-11-02T12:00:00.000Z"),
  });
  return { store, scorer, scored, scheduler, logs };
}

/** Stores one customer message and tells the scheduler, as intake does. */
async function customerSays(context: Awaited<ReturnType<typeof setup>>, threadId: string, text: string, at: string) {
  await appendMessages(context.store, threadId, [{ side: "customer", text, at }]);
  context.scheduler.noteMessage(threadId, at);
}

describe("scoring scheduler: when", () => {
  it("scores a burst of messages once, after the thread has been idle for idleSeconds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const context = await setup();
    for (let i = 0; i < 6; i++) await customerSays(context, "wxid_zhang3", `第 ${i} 条`, minute(i));
    await vi.advanceTimersByTimeAsync(119_000);
    expect(context.scorer.inputs).toHaveLength(0);
    expect(context.scheduler.pendingCount()).toBe(1);

    const scored = context.scored.next();
    await vi.advanceTimersByTimeAsync(1_000);
    const event = await scored;
    expect(context.scorer.inputs).toHaveLength(1);
    expect(context.scorer.inputs[0]?.messages).toHaveLength(6);
    expect(event.thread).toMatchObject({ score: 51, unscored: 0, scoredAt: "2026-11-02T12:00:00.000Z" });
    expect((await context.store.getThread("wxid_zhang3"))?.score).toBe(51);
    expect(context.scheduler.pendingCount()).toBe(0);
  });

  it("restarts the idle timer on every message", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const context = await setup();
    await customerSays(context, "wxid_li4", "在吗", minute(0));
    await vi.advanceTimersByTimeAsync(100_000);
    await customerSays(context, "wxid_li4", "想问个价格", minute(2));
    await vi.advanceTimersByTimeAsync(100_000);
    expect(context.scorer.inputs).toHaveLength(0);
    const scored = context.scored.next();
    await vi.advanceTimersByTimeAsync(20_000);
    await scored;
    expect(context.scorer.inputs).toHaveLength(1);
  });

  it("scores at once when maxPendingMessages messages are unscored, without waiting for the idle timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const context = await setup({ config: { maxPendingMessages: 5 } });
    const scored = context.scored.next();
    for (let i = 0; i < 5; i++) await customerSays(context, "wxid_wang5", `消息 ${i}`, minute(i));
    await scored;
    expect(context.scorer.inputs).toHaveLength(1);
    expect(context.scorer.inputs[0]?.messages).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(context.scorer.inputs).toHaveLength(1);
  });

  it("never fires by itself without timers (replay), and flushAll scores pending threads at their last message time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const context = await setup({ timers: false, config: { maxPendingMessages: 2 } });
    await customerSays(context, "wxid_a", "一", minute(1));
    await customerSays(context, "wxid_a", "二", minute(2));
    await customerSays(context, "wxid_b", "三", minute(3));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(context.scorer.inputs).toHaveLength(0);
    expect(context.scheduler.pendingCount()).toBe(2);
    await context.scheduler.flushAll();
    expect(context.scored.events.map((e) => [e.thread.id, e.at]).sort()).toEqual([
      ["wxid_a", minute(2)],
      ["wxid_b", minute(3)],
    ]);
    expect(context.scheduler.pendingCount()).toBe(0);
  });
});

describe("scoring scheduler: one at a time", () => {
  it("never scores one thread twice at once; requests during a scoring fold into one more", async () => {
    const context = await setup({ timers: false });
    await customerSays(context, "wxid_zhang3", "你好", minute(0));
    context.scorer.hold = true;
    const first = context.scheduler.scoreNow("wxid_zhang3", minute(1));
    await vi.waitFor(() => expect(context.scorer.held).toBe(1));
    await customerSays(context, "wxid_zhang3", "要报价", minute(2));
    const again = [2, 3, 4].map((n) => context.scheduler.scoreNow("wxid_zhang3", minute(n)));
    context.scorer.release();
    await vi.waitFor(() => expect(context.scorer.held).toBe(1));
    context.scorer.release();
    const results = await Promise.all([first, ...again]);
    expect(context.scorer.inputs).toHaveLength(2);
    expect(context.scorer.maxActivePerThread).toBe(1);
    expect(results.map((r) => r?.at)).toEqual([minute(1), minute(4), minute(4), minute(4)]);
    expect(context.scorer.inputs[1]?.messages).toHaveLength(2);
  });

  it("scores different threads at most scorer.concurrency at a time", async () => {
    const context = await setup({ timers: false, config: { concurrency: 2 } });
    for (const id of ["t1", "t2", "t3", "t4"]) await customerSays(context, id, "你好", minute(0));
    context.scorer.hold = true;
    const all = ["t1", "t2", "t3", "t4"].map((id) => context.scheduler.scoreNow(id));
    for (let released = 0; released < 4; ) {
      await vi.waitFor(() => expect(context.scorer.held).toBeGreaterThan(0));
      released += context.scorer.held;
      context.scorer.release();
    }
    expect((await Promise.all(all)).every((e) => e !== undefined)).toBe(true);
    expect(context.scorer.maxActive).toBe(2);
  });

  it("answers scoreNow for an unknown or empty thread with undefined", async () => {
    const context = await setup({ timers: false });
    expect(await context.scheduler.scoreNow("wxid_nobody")).toBeUndefined();
    expect(context.scorer.inputs).toHaveLength(0);
  });
});

describe("scoring scheduler: what", () => {
  it("sends the summary and only the last recentMessages messages of a 2,000-message thread", async () => {
    const context = await setup({ timers: false, historyPerThread: 5_000, config: { recentMessages: 30 } });
    const messages = Array.from({ length: 2_000 }, (_, i) => ({
      side: (i % 2 === 0 ? "customer" : "sales") as "customer" | "sales",
      text: `消息 ${i}`,
      at: new Date(Date.UTC(2026, 10, 2) + i * 60_000).toISOString(),
    }));
    await appendMessages(context.store, "wxid_long", messages);
    await context.store.updateThread("wxid_long", (t) => {
      t.summary = "之前的摘要：客户在比较三家供应商";
    });
    await context.scheduler.scoreNow("wxid_long");
    const input = context.scorer.inputs[0];
    expect(input?.previousSummary).toBe("之前的摘要：客户在比较三家供应商");
    expect(input?.messages).toHaveLength(30);
    expect(input?.messages[0]?.text).toBe("消息 1970");
    expect(input?.messages.at(-1)?.text).toBe("消息 1999");
    expect(input?.contact).toEqual({ id: "wxid_long", name: "name of wxid_long" });
  });

  it("keeps a WeChat-supplied mobile against the model's number and verifies a number the customer typed", async () => {
    const context = await setup({ timers: false });
    await customerSays(context, "wxid_wechat", "你好", minute(0));
    await context.store.updateThread("wxid_wechat", (t) => {
      t.extracted.mobile = { value: "13800138000", source: "wechat", verified: true, at: minute(0) };
    });
    context.scorer.script(() => ({
      score: 70,
      summary: "s",
      reasons: [],
      customer: { phone: "13600136000" },
      provider: "heuristic",
    }));
    const kept = await context.scheduler.scoreNow("wxid_wechat", minute(1));
    expect(kept?.thread.extracted.mobile).toMatchObject({ value: "13800138000", source: "wechat", verified: true });

    await customerSays(context, "wxid_typed", "我电话 139 1234 5678", minute(0));
    context.scorer.script(() => ({
      score: 70,
      summary: "s",
      reasons: [],
      customer: { phone: "13912345678" },
      provider: "heuristic",
    }));
    const typed = await context.scheduler.scoreNow("wxid_typed", minute(1));
    expect(typed?.thread.extracted.mobile).toEqual({ value: "13912345678", source: "customer", verified: true, at: minute(1) });
  });

  it("keeps the previous score when the scorer fails, logs it, and scores again later", async () => {
    const context = await setup({ timers: false });
    await customerSays(context, "wxid_zhang3", "你好", minute(0));
    context.scorer.script(() => ({ score: 70, summary: "第一次", reasons: ["a"], customer: {}, provider: "heuristic" }));
    await context.scheduler.scoreNow("wxid_zhang3", minute(1));
    context.scorer.script(() => Promise.reject(new Error("LLM endpoint returned 502 for 13800138000")));
    await customerSays(context, "wxid_zhang3", "还在吗", minute(2));
    expect(await context.scheduler.scoreNow("wxid_zhang3", minute(3))).toBeUndefined();
    const thread = await context.store.getThread("wxid_zhang3");
    expect(thread).toMatchObject({ score: 70, summary: "第一次", scoredAt: minute(1), unscored: 1 });
    expect(thread?.scores).toHaveLength(1);
    expect(context.scored.events).toHaveLength(1);
    const logged = context.logs.find((l) => l.msg === "scoring failed; the thread keeps its previous score");
    expect(logged).toMatchObject({ level: 50, threadId: "wxid_zhang3" });
    expect(JSON.stringify(context.logs)).not.toContain("13800138000");

    context.scorer.script(() => ({ score: 75, summary: "第三次", reasons: [], customer: {}, provider: "heuristic" }));
    expect((await context.scheduler.scoreNow("wxid_zhang3", minute(4)))?.thread.score).toBe(75);
  });

  it("logs a failing onScored listener and still returns the scoring", async () => {
    const store = await openTestStore();
    const logs: Array<Record<string, unknown>> = [];
    const scheduler = createScoringScheduler({
      store,
      scorer: new ScriptedScorer(),
      config: scorerConfig(),
      logger: createLogger({ level: "debug", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
      onScored: async () => Promise.reject(new Error("plugin exploded")),
      timers: false,
    });
    await appendMessages(store, "wxid_x", [{ side: "customer", text: "hi", at: minute(0) }]);
    expect((await scheduler.scoreNow("wxid_x"))?.thread.score).toBe(51);
    expect(logs.some((l) => l.msg === "onScored handler failed")).toBe(true);
  });

  it("runs the configured (heuristic) scorer from createScorer end to end", async () => {
    const store = await openTestStore();
    const scored = new ScoredEvents();
    const config = { ...scorerConfig(), secrets: {}, configFiles: [] };
    const scheduler = createScoringScheduler({
      store,
      scorer: createScorer(config, silentLogger()),
      config,
      logger: silentLogger(),
      onScored: scored.onScored,
      timers: false,
    });
    await appendMessages(store, "wxid_zhang3", [
      { side: "customer", text: "你好，我是远航科技的张三，想了解一下你们的MES系统", at: minute(0) },
      { side: "sales", text: "您好张总！请问大概什么时候上线？", at: minute(1) },
      { side: "customer", text: "下个月就要，预算50万，麻烦报个价，我电话13912345678", at: minute(2) },
    ]);
    const event = await scheduler.scoreNow("wxid_zhang3", minute(3));
    expect(event?.result.provider).toBe("heuristic");
    expect(event?.thread.score).toBeGreaterThanOrEqual(60);
    expect(event?.thread.extracted).toMatchObject({
      company: expect.stringContaining("远航"),
      type: "company",
      mobile: { value: "13912345678", source: "customer", verified: true },
    });
    expect(event?.thread.summary.length).toBeGreaterThan(0);
    expect(scored.events).toHaveLength(1);
  });
});

describe("scoring scheduler: stop", () => {
  it("cancels idle timers and refuses new work after stop", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const context = await setup();
    await customerSays(context, "wxid_zhang3", "你好", minute(0));
    await context.scheduler.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    context.scheduler.noteMessage("wxid_zhang3", minute(1));
    expect(await context.scheduler.scoreNow("wxid_zhang3")).toBeUndefined();
    expect(context.scorer.inputs).toHaveLength(0);
  });
});
