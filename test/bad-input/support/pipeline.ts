import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pluginCatalog } from "../../../plugins/index.ts";
import { type App, createApp } from "../../../src/app/app.ts";
import { loadConfig } from "../../../src/config/load.ts";
import { silentLogger } from "../../../src/logging/logger.ts";
import { parseReplay, type ReplayConversation } from "../../../src/replay/replay-format.ts";
import type { ReplayReport } from "../../../src/replay/replay-report.ts";
import { runReplay } from "../../../src/replay/replay-runner.ts";
import { jsonl } from "./lines.ts";

export interface Pipeline {
  app: App;
  replay(conversations: ReplayConversation[]): Promise<ReplayReport>;
  stop(): Promise<void>;
}

/**
 * The whole app in replay mode (mock WeChat → intake → scorer → ERP plugin → the embedded
 * emulator) with an environment of the test's choosing: the LLM scorer needs OPENAI_API_KEY
 * and OPENAI_BASE_URL, which the shared app fixture does not pass.
 */
export async function startPipeline(env: Record<string, string>, config: Record<string, unknown> = {}): Promise<Pipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-bad-pipeline-"));
  const loaded = loadConfig({
    withoutDefaultFile: true,
    env,
    overrides: {
      dataDir,
      log: { level: "silent" },
      dashboard: { enabled: false },
      wechat: { demo: false },
      sync: { backoffBaseMs: 20, backoffMaxMs: 200 },
      ...config,
    },
  });
  const app = await createApp(loaded, { logger: silentLogger(), mode: "replay", plugins: pluginCatalog() });
  return {
    app,
    replay: (conversations) => runReplay(app, parseReplay(jsonl(conversations))),
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
