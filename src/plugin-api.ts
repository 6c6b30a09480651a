/**
 * The host's public API: everything a plugin may import from the core, and nothing else. Plugins
 * (plugins/*) import from this file only; test/architecture/layers.test.ts fails when one reaches
 * past it. What is here is kept stable for plugins: the plugin and host contracts, the thread
 * store's types, the command router's types, the durable outbox and its worker, masking and mobile
 * rules, the audit log, named locks (`host.locks`), logging and the small command-line helpers a
 * plugin's subcommands use (`wxerp erp check`). A new need is a deliberate export here, never a
 * deep import.
 */

export { accountOfThread } from "./accounts/accounts.ts";
export type { AuditLog } from "./audit/index.ts";
export { CliFailure, UsageError } from "./cli/exit.ts";
export { configFromOptions, type GlobalOptions } from "./cli/options.ts";
export { renderTable } from "./cli/table.ts";
export { CommandError } from "./commands/errors.ts";
export type { CommandContext, CommandDefinition, CommandRouter } from "./commands/types.ts";
export type { AppConfig, Secrets, Tier } from "./config/schema.ts";
export type { CalibrationTierView, CalibrationView } from "./dashboard/sources.ts";
export type { KeyedLocks } from "./locking/keyed-locks.ts";
export { createLogger, type Logger } from "./logging/logger.ts";
export type { Monitoring } from "./monitoring/monitoring.ts";
export {
  type DrainSummary,
  type Outbox,
  type OutboxJob,
  OutboxWorker,
  StoreOrderedOutbox,
} from "./outbox/index.ts";
export type { JobContext, JobHandler, WriteDeadline } from "./outbox/worker.ts";
export { definePlugin } from "./plugins/define-plugin.ts";
export type {
  ActivityEvent,
  AppMode,
  BilingualLine,
  CallStats,
  DashboardContribution,
  IntakeEvent,
  PluginCatalog,
  PluginContext,
  PluginDefinition,
  PluginHost,
  PluginInstance,
  ScoredEvent,
  SyncControl,
  WxerpPlugin,
} from "./plugins/types.ts";
export { maskMobile, maskText } from "./privacy/mask.ts";
export { foldFullWidth, MOBILE_PATTERN, normalizeMobile } from "./privacy/mobile.ts";
export type { Notice, NoticeOptions, NoticeTopic } from "./sending/notice.ts";
export { createThreadStore } from "./store/create-store.ts";
export { StoreNotFoundError } from "./store/errors.ts";
export { type MobileMismatch, mobileMismatches } from "./store/mobile-rules.ts";
export type {
  AdmissionResult,
  Contact,
  ErpLink,
  MobileField,
  MobileSource,
  Thread,
  ThreadMessage,
  ThreadStore,
} from "./store/types.ts";
