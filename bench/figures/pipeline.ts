import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { types } from "wechaty";
import { pluginCatalog } from "../../plugins/index.ts";
import { EMULATOR_DEFAULT_CREDENTIALS } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type App, type AppMode, createApp } from "../../src/app/app.ts";
import { ensureMockContact, loginMock } from "../../src/bot/mock-contacts.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { type ReplayConversation, replayMessageId } from "../../src/replay/replay-format.ts";
import { REPLAY_SELF } from "../../src/replay/replay-runner.ts";
import { type EmulatorProcess, type RemoteEmulatorOptions, startEmulatorProcess } from "./emulator-process.ts";

/**
 * The whole product (createApp: mock WeChat → intake → scorer → ERP plugin → outbox →
 * ERP client) on a temp data directory against an emulator this bench starts in its own
 * process, so the figures read the emulator's own call counts. Nothing here is a stub.
 */

export interface BenchAppOptions {
  mode: Extract<AppMode, "replay" | "live">;
  latencyMs: number;
  /** sync.concurrency (default: the product default). */
  concurrency?: number;
  /** Emulator faults and settings (session TTL, expiry period). */
  emulator?: RemoteEmulatorOptions;
  /** Config keys over the bench defaults. */
  config?: Record<string, unknown>;
  /** Environment for the config (OPENAI_BASE_URL, OPENAI_API_KEY) besides the ERP credentials. */
  env?: Record<string, string>;
  /** Last changes to the parsed config (time compression for the scheduler figure). */
  tune?: (config: AppConfig) => void;
}

export interface BenchApp {
  app: App;
  erp: EmulatorProcess;
  /** Delivers a conversation through the mock puppet; `now` stamps messages with wall-clock time. */
  deliver(conversation: ReplayConversation, options?: { now?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const erp = await startEmulatorProcess({ latencyMs: options.latencyMs, seedDemo: false, ...options.emulator });
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-bench-app-"));
  const config = benchConfig(dataDir, erp.url, options);
  options.tune?.(config);
  const app = await createApp(config, { logger: silentLogger(), mode: options.mode, plugins: pluginCatalog() });
  const mocker = app.runtime!.mocker!;
  await app.start();
  loginMock(mocker, REPLAY_SELF);
  await until(() => app.runtime!.isLoggedIn());
  const selfId = app.runtime!.selfId()!;
  return {
    app,
    erp,
    async deliver(conversation, { now = false } = {}) {
      const { contact } = conversation;
      ensureMockContact(mocker, { id: contact.id, name: contact.name, ...(contact.alias ? { alias: contact.alias } : {}) });
      const ids: string[] = [];
      for (const message of conversation.messages) {
        const at = now ? Date.now() : Date.parse(message.at);
        const id = replayMessageId(contact.id, message.from, new Date(at).toISOString(), message.text);
        const fromCustomer = message.from === "customer";
        mocker.MessageMock.create({
          id,
          talkerId: fromCustomer ? contact.id : selfId,
          listenerId: fromCustomer ? selfId : contact.id,
          text: message.text,
          timestamp: at,
          type: types.Message.Text,
        } as never);
        mocker.puppet.emit("message", { messageId: id });
        ids.push(id);
      }
      await app.whenHandled(ids, 60_000);
    },
    async close() {
      await app.stop();
      await erp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function benchConfig(dataDir: string, erpUrl: string, options: BenchAppOptions): AppConfig {
  return loadConfig({
    withoutDefaultFile: true,
    env: {
      WXERP_ERP_USERNAME: EMULATOR_DEFAULT_CREDENTIALS.username,
      WXERP_ERP_PASSWORD: EMULATOR_DEFAULT_CREDENTIALS.password,
      ...options.env,
    },
    overrides: deepMerge(
      {
        dataDir,
        log: { level: "silent" },
        dashboard: { enabled: false },
        wechat: { demo: false },
        erp: { baseUrl: erpUrl },
        ...(options.concurrency ? { sync: { concurrency: options.concurrency } } : {}),
      },
      options.config ?? {},
    ),
  });
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("bench: timed out waiting for the app");
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
