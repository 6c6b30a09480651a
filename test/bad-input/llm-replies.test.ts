import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import type { ReplayReport } from "../../src/replay/replay-report.ts";
import { createThreadStore } from "../../src/store/create-store.ts";
import { erpOf } from "../support/erp-of.ts";
import { type ChatRequestBody, type FakeOpenAI, type FakeReply, startFakeOpenAI } from "../support/fake-openai-server.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { wxerp } from "./support/cli.ts";
import { jsonl, warmLead } from "./support/lines.ts";
import { type Pipeline, startPipeline } from "./support/pipeline.ts";

/**
 * LLM answers that cannot be used (docs/architecture.md §3.5), through the real `openai`
 * client and the whole pipeline: each thread falls back to the heuristic score, the fallback
 * is recorded on the thread, and the ERP gets the heuristic's decision, not the bad number.
 */

const answer = (score: number) =>
  JSON.stringify({
    score,
    summary: "客户咨询价格，留了电话。",
    reasons: ["询价"],
    customer: { name: null, company: null, email: null, address: null, type: null, phone: null },
  });

const CASES: Record<string, { company: string; mobile: string; reply: FakeReply; requests: number }> = {
  good: { company: "无锡宏达机械有限公司", mobile: "13700000001", reply: { content: answer(85) }, requests: 1 },
  notJson: { company: "宁波瑞丰物流有限公司", mobile: "13700000002", reply: { content: "这个客户不错，给80分吧" }, requests: 2 },
  missingFields: { company: "合肥启明电子有限公司", mobile: "13700000003", reply: { content: '{"score": 85}' }, requests: 2 },
  score1000: { company: "青岛海川食品有限公司", mobile: "13700000004", reply: { content: answer(1000) }, requests: 2 },
  scoreMinus5: { company: "厦门锦程贸易有限公司", mobile: "13700000005", reply: { content: answer(-5) }, requests: 2 },
  late: { company: "成都精工建材有限公司", mobile: "13700000006", reply: { delayMs: 8000, content: answer(85) }, requests: 1 },
};
const leads = Object.entries(CASES).map(([id, c], i) => warmLead(`wxid_${id}`, c.mobile, c.company, i * 5));

function scriptedModel(request: ChatRequestBody): FakeReply {
  const user = request.messages
    .filter((m) => m.role === "user")
    .map((m) => m.content)
    .join("\n");
  const found = Object.values(CASES).find((c) => user.includes(c.company));
  return found ? found.reply : { content: answer(50) };
}

const requestsFor = (fake: FakeOpenAI, company: string) =>
  fake.requests.filter((r) => r.messages.some((m) => m.role === "user" && m.content.includes(company))).length;

describe("LLM replies the scorer must not trust", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let fake: FakeOpenAI | undefined;
  let pipelines: Pipeline[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const p of pipelines) await p.stop();
    pipelines = [];
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    fake = dir = undefined;
  }, CHILD_PROCESS_TIMEOUT_MS);

  it("not JSON, fields missing, score 1000 or -5, too late: the heuristic decides, the fallback is recorded, the ERP follows", async () => {
    const heuristic = await startPipeline({});
    pipelines.push(heuristic);
    const baseline = await heuristic.replay(leads);
    const baselineScore = (id: string) => baseline.threads.find((t) => t.contact === id)!.score!;
    // The leads are warm: a clamped 1000 (100) or -5 (0) would change the decision, the fallback does not.
    for (const id of Object.keys(CASES)) expect(baselineScore(`wxid_${id}`)).toBeGreaterThanOrEqual(60);
    for (const id of Object.keys(CASES)) expect(baselineScore(`wxid_${id}`)).toBeLessThan(75);

    fake = await startFakeOpenAI({ respond: scriptedModel });
    const llm = await startPipeline(
      { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
      { scorer: { provider: "openai", timeoutMs: 1500 } },
    );
    pipelines.push(llm);
    const report = await llm.replay(leads);
    expect(report.totals).toMatchObject({ threads: 6, created: 6, failed: 0, llmCalls: 10 });

    const customers = erpOf(llm.app).emulator!.snapshot().customers;
    for (const [id, c] of Object.entries(CASES)) {
      const thread = (await llm.app.store.getThread(`wxid_${id}`))!;
      const last = thread.scores.at(-1)!;
      expect(requestsFor(fake, c.company), id).toBe(c.requests);
      const erp = customers.filter((customer) => customer.mobile === c.mobile);
      expect(erp, id).toHaveLength(1);
      if (id === "good") {
        // The model's 85 stands, up to scorer.maxAboveOffline (10) above the offline score.
        const bounded = Math.min(85, baselineScore("wxid_good") + 10);
        expect(last).toMatchObject({ provider: "openai", score: bounded });
        expect(last.fallback).toBeUndefined();
        expect(erp[0]!.jz).toBe(bounded >= 75 ? "289" : "176");
        continue;
      }
      expect(last, id).toMatchObject({ provider: "heuristic", score: baselineScore(`wxid_${id}`) });
      expect(last.fallback, id).toEqual(expect.any(String));
      expect(erp[0]!.jz, id).toBe("176");
    }
    const fallbacks = Object.fromEntries(
      await Promise.all(
        Object.keys(CASES).map(async (id) => [id, (await llm.app.store.getThread(`wxid_${id}`))!.scores.at(-1)!.fallback]),
      ),
    );
    expect(fallbacks).toMatchObject({
      notJson: expect.stringMatching(/not JSON/),
      missingFields: expect.stringMatching(/missing/),
      score1000: expect.stringMatching(/score out of range/),
      scoreMinus5: expect.stringMatching(/score out of range/),
      late: expect.stringMatching(/timeout after 1500 ms/),
    });
  });

  it("a whole `wxerp replay` with scorer.provider openai and OPENAI_BASE_URL: the report and the data directory show the fallbacks", async () => {
    fake = await startFakeOpenAI({ respond: scriptedModel });
    dir = await mkdtemp(join(tmpdir(), "wxerp-bad-llm-"));
    const file = join(dir, "leads.jsonl");
    const chosen = [leads[0]!, leads[1]!, leads[5]!]; // good, not JSON, too late
    await writeFile(file, jsonl(chosen));
    await writeFile(join(dir, "llm.yaml"), "scorer:\n  provider: openai\n  timeoutMs: 1500\nwechat:\n  demo: false\n");
    const result = await wxerp(["replay", file, "--json", "--config", join(dir, "llm.yaml"), "--data", join(dir, "data")], {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.url,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report.totals).toMatchObject({ threads: 3, created: 3, failed: 0, llmCalls: 4 });
    expect(result.stderr).toContain("LLM scorer failed; heuristic score used");
    for (const c of [CASES.good!, CASES.notJson!, CASES.late!]) expect(result.stdout + result.stderr).not.toContain(c.mobile);

    const config = loadConfig({ withoutDefaultFile: true, env: {}, overrides: { dataDir: join(dir, "data") } });
    const store = createThreadStore(config, silentLogger());
    await store.open();
    const threads = await store.listThreads();
    await store.close();
    const last = (id: string) => threads.find((t) => t.id === id)!.scores.at(-1)!;
    // The model said 85; the score is bounded by the offline score + scorer.maxAboveOffline.
    expect(last("wxid_good")).toMatchObject({ provider: "openai" });
    expect(last("wxid_good").score).toBeLessThan(85);
    expect(last("wxid_notJson")).toMatchObject({ provider: "heuristic", fallback: expect.any(String) });
    expect(last("wxid_late")).toMatchObject({ provider: "heuristic", fallback: expect.stringMatching(/time/i) });
  });
});
