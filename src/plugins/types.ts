import type { Registry } from "prom-client";
import type { CommandRouter } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { KeyedLocks } from "../locking/keyed-locks.ts";
import type { Logger } from "../logging/logger.ts";
import type { ScoreResult } from "../scorer/types.ts";
import type { NoticeOptions } from "../sending/notice.ts";
import type { Thread, ThreadMessage, ThreadStore } from "../store/types.ts";

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
}

/** A plugin: validates its config in the factory, then installs on a host. */
export interface WxerpPlugin {
  readonly name: string;
  install(host: PluginHost): void | (() => Promise<void> | void) | Promise<void | (() => Promise<void> | void)>;
}
