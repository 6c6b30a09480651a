import type { AppConfig, AuditLog, Outbox, PluginHost, ThreadStore } from "../../../src/plugin-api.ts";
import type { ErpClient } from "../client/index.ts";
import type { LoginLatch } from "../jobs/handlers.ts";
import type { JobWaiter } from "../jobs/job-waiter.ts";
import type { SyncRequests } from "../sync-requests.ts";

/** What the `/erp` command handlers may use. */
export interface CommandDeps {
  config: AppConfig;
  store: ThreadStore;
  outbox: Outbox;
  audit: AuditLog;
  host: PluginHost;
  client: ErpClient;
  requests: SyncRequests;
  waiter: JobWaiter;
  latch: LoginLatch;
  kick(): void;
  /** How long a command waits for its job before answering "queued". */
  waitMs: number;
  clock(): Date;
  /** `/erp sync` with no customer named, outside a customer's chat: every admitted thread. */
  syncPending(actor: string): Promise<{ enqueued: number; scored: number }>;
}

/** Picks the reply in the configured language (Chinese by default, `locale: en` for English). */
export function t(locale: "zh" | "en", zh: string, en: string): string {
  return locale === "en" ? en : zh;
}
