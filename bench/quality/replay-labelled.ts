/**
 * Plays the labelled conversations through the whole product in replay mode (mock WeChat →
 * intake → scorer → ERP plugin → the embedded ERP emulator), on a temp data directory, and
 * reads back what `wxerp replay --json` reports for each: the score and whether the thread
 * passed admission. The scorer is the one the config names (the offline heuristic by default).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pluginCatalog } from "../../plugins/index.ts";
import { createApp } from "../../src/app/app.ts";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import { runReplay } from "../../src/replay/replay-runner.ts";

export interface ReplayedConversation {
  contact: string;
  score: number;
  admitted: boolean;
  failed: string[];
}

export async function replayConversations(
  conversations: readonly ReplayConversation[],
  config: Record<string, unknown> = {},
  /** OPENAI_API_KEY and OPENAI_BASE_URL for the LLM scorer; nothing else is read from the environment. */
  env: Record<string, string> = {},
): Promise<Map<string, ReplayedConversation>> {
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-quality-"));
  try {
    const appConfig = loadConfig({
      withoutDefaultFile: true,
      env,
      overrides: { dataDir, dashboard: { enabled: false }, wechat: { demo: false }, ...config },
    });
    const app = await createApp(appConfig, { logger: silentLogger(), mode: "replay", plugins: pluginCatalog() });
    try {
      const lines = conversations.map((conversation, index) => ({ line: index + 1, conversation }));
      const report = await runReplay(app, { conversations: lines, errors: [] });
      const results = new Map<string, ReplayedConversation>();
      for (const thread of report.threads) {
        results.set(thread.contact, {
          contact: thread.contact,
          score: thread.score ?? 0,
          admitted: thread.admission.passed,
          failed: thread.admission.failed,
        });
      }
      return results;
    } finally {
      await app.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
