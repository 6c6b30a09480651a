import type { Command } from "commander";
import type { Registry } from "prom-client";
import type { AuditLog } from "../audit/index.ts";
import type { CommandRouter } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { CalibrationView } from "../dashboard/sources.ts";
import type { KeyedLocks } from "../locking/keyed-locks.ts";
import type { Logger } from "../logging/logger.ts";
import type { Monitoring } from "../monitoring/monitoring.ts";
import type { DrainSummary, Outbox } from "../outbox/index.ts";
import type { ScoreResult } from "../scorer/types.ts";
import type { NoticeOptions } from "../sending/notice.ts";
import type { Contact, Thread, ThreadMessage, ThreadStore } from "../store/types.ts";

/** A message after intake: deduplicated, stored in its thread. */
export interface IntakeEvent {
  thread: Thread;
  message: ThreadMessage;
}

/** A thread that has just been scored. */
export interface ScoredEvent {
  thread: Thread;
  result: ScoreResult;
  /** The conversation time of the scoring (replay: the last message's `at`; live: now). */
  at: string;
}

/**
 * An event the console, the dashboard and tests follow (scored, admitted, created, linked, assigned,
 * follow-up posted, failed, …).
 */
export interface ActivityEvent {
  at: string;
  kind: string;
  contactId?: string;
  text: string;
  data?: Record<string, unknown>;
  /** Who reported it: a plugin's name, or a core part ("scoring", "intake"). */
  source?: string;
}

export interface PluginHost {
  readonly config: AppConfig;
  /** A child logger named after the plugin. */
  readonly logger: Logger;
  readonly commands: CommandRouter;
  readonly store: ThreadStore;
  readonly metrics: Registry;
  onMessage(handler: (event: IntakeEvent) => Promise<void> | void): void;
  onThreadScored(handler: (event: ScoredEvent) => Promise<void> | void): void;
  onShutdown(handler: () => Promise<void> | void): void;
  /**
   * Queues a short line for the control chat (job failures, conflicts). Never to a customer.
   * It goes out paced; notices that wait together leave as one message, and notices of one
   * `topic` become that topic's one summary line. Resolves once queued, not once sent.
   */
  notifyControl(text: string, options?: NoticeOptions): Promise<void>;
  /** Reports a step for the console/dashboard activity feed. */
  activity(event: Omit<ActivityEvent, "at"> & { at?: string }): void;
  /** Asks the core to score a thread now (e.g. `/erp score`). */
  scoreNow(threadId: string): Promise<ScoredEvent | undefined>;
  /**
   * Named locks for work that must not run twice at once, in this process and, on
   * PostgreSQL, in every process on the database (advisory locks).
   */
  readonly locks: KeyedLocks;
  /** The salesperson's own mobile numbers (configured and learned): never a customer's. */
  ownMobiles(): Promise<ReadonlySet<string>>;
}

/** A plugin: validates its config in the factory, then installs on a host. */
export interface WxerpPlugin {
  readonly name: string;
  install(host: PluginHost): void | (() => Promise<void> | void) | Promise<void | (() => Promise<void> | void)>;
}

/** How the app runs: `live` (wxerp start), `replay` (conversation time) or `sync` (one pass, no WeChat). */
export type AppMode = "live" | "replay" | "sync";

/** What the core hands a plugin factory before the pipeline runs: its shared durable parts. */
export interface PluginContext {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly mode: AppMode;
  readonly audit: AuditLog;
  /** The durable job queue: a plugin registers its job handlers on a worker over it. */
  readonly outbox: Outbox;
  readonly monitoring: Monitoring;
  readonly clock: () => Date;
}

/** Outbox work a plugin drives for `wxerp sync`, the replay, the demo and the dashboard's retry button. */
export interface SyncControl {
  /** Scores what is unscored, queues what is admitted but not yet synced, releases failed jobs. */
  syncPending(actor: string): Promise<{ enqueued: number; scored: number }>;
  /** Runs the outbox until nothing is due now (back-off ignored when asked). */
  drain(options?: { ignoreBackoff?: boolean }): Promise<DrainSummary>;
  /** Jobs were released by hand: run what is due now. */
  kick(): void;
}

/** Calls a plugin made to an outside system (the replay report's totals). */
export interface CallStats {
  calls: number;
  retries: number;
  relogins: number;
}

/** A line in both languages the console prints (the start banner, the demo's summary). */
export interface BilingualLine {
  zh: string;
  en: string;
}

/** What a plugin adds to the dashboard. */
export interface DashboardContribution {
  /** The name of the tier a score falls in ("" when none). */
  tierName?(score: number): string;
  /** Person id → name, as the outside system names its users. */
  userNames?(): Promise<ReadonlyMap<string, string>>;
  /** The /calibration page: how the customers handed over `days`+ days ago have progressed. */
  calibration?(input: {
    threads: ReadonlyArray<{ thread: Thread; contact: Contact | undefined }>;
    days: number;
    now: Date;
  }): Promise<CalibrationView>;
}

/** A loaded plugin: its host hooks plus what the app, the CLI and the dashboard read from it. */
export interface PluginInstance {
  readonly plugin: WxerpPlugin;
  readonly sync?: SyncControl;
  readonly dashboard?: DashboardContribution;
  /** Where the plugin's outside system is, for the start banner. */
  describe?(): BilingualLine;
  /** A closing figure for the demo (e.g. customers in the embedded ERP). */
  summary?(): BilingualLine | undefined;
  callStats?(): CallStats;
  /** The plugin's own handle (its connection), for tests and benches that know the plugin. */
  readonly handle?: unknown;
  /** Releases what `create` opened (connections, an embedded server), after the host has shut the plugin down. */
  close(): Promise<void>;
}

/** One entry of the plugin catalog: how to create the plugin, and the CLI subcommands it adds. */
export interface PluginDefinition {
  readonly name: string;
  create(context: PluginContext): Promise<PluginInstance>;
  /** Adds the plugin's subcommands (e.g. `wxerp erp check`) to the command line. */
  registerCli?(program: Command): void;
}

/** Plugin name → definition: built by the composition root (plugins/index.ts), passed in by each entry point. */
export type PluginCatalog = Readonly<Record<string, PluginDefinition>>;
