import { collectDefaultMetrics, Registry } from "prom-client";
import type { Wechaty } from "wechaty";
import { accountsOf, type WechatAccount, wechatIdOf } from "../accounts/accounts.ts";
import {
  readTeamSessions,
  SESSION_HEARTBEAT_MS,
  type TeamAccountSession,
  writeTeamSessions,
} from "../accounts/postgres-sessions.ts";
import { type AuditLog, auditDir, createAuditLog, createPostgresAuditLog } from "../audit/index.ts";
import { GatewayBusyError } from "../bot/gateway-puppet.ts";
import { createWechatyRuntime, type WechatyRuntime } from "../bot/runtime.ts";
import type { DispatchingRouter } from "../commands/router.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Intake } from "../intake/intake.ts";
import { AdvisoryKeyedLocks } from "../locking/advisory-keyed-locks.ts";
import type { Logger } from "../logging/logger.ts";
import { AlertMonitor, alertRules } from "../monitoring/alerts.ts";
import { Monitoring } from "../monitoring/monitoring.ts";
import { nodeName } from "../monitoring/postgres-snapshots.ts";
import type { MonitoringSnapshots } from "../monitoring/snapshot-store.ts";
import type { Outbox } from "../outbox/index.ts";
import { type CorePluginHost, createPluginHost } from "../plugins/host.ts";
import { type LoadedPlugins, loadPlugins, resolvePlugins } from "../plugins/load-plugins.ts";
import type { AppMode, PluginCatalog, SyncControl } from "../plugins/types.ts";
import { createScorer } from "../scorer/index.ts";
import { type CardReader, createCardReader } from "../scorer/vision/card-reader.ts";
import { createScoringScheduler } from "../scoring/scheduler.ts";
import type { ScoringScheduler } from "../scoring/types.ts";
import type { Notice, NoticeOptions, NoticeOutcome } from "../sending/notice.ts";
import type { SendQueue } from "../sending/send-queue.ts";
import type { SendQueueOverrides } from "../sending/wechat-sends.ts";
import type { ThreadStore } from "../store/types.ts";
import { accountLoginGauge } from "./account-metrics.ts";
import { accountSessions, writeAccountSessions } from "./account-sessions.ts";
import {
  type AccountWiring,
  accountLogger,
  accountsRouter,
  attachIntake,
  mirrorCommands,
  threadAccounts,
  wireAccount,
} from "./account-wiring.ts";
import { type CommandRuns, commandRuns } from "./command-runs.ts";
import { HandledTracker } from "./handled-tracker.ts";
import { meteredScorer } from "./metered-scorer.ts";
import { monitoringSnapshots } from "./monitoring-file.ts";
import { openDataDirectory } from "./open-data.ts";
import type { WechatWatch } from "./wechat-watch.ts";

/**
 * How the app runs: `live` (wxerp start: timers, backlog rule, the outbox worker), `replay`
 * (conversation time drives scoring, the driver drains the outbox) and `sync` (no WeChat:
 * one pass over the outbox for cron).
 */
export type { AppMode };

export interface AppOptions {
  logger: Logger;
  mode: AppMode;
  /** A ready puppet (tests: PuppetService on loopback). */
  puppet?: unknown;
  /**
   * Someone else's Wechaty (library mode, `bot.use(WxErp(config))`): the single account listens to
   * it and sends through it; its owner starts and stops it.
   */
  bot?: Wechaty;
  /**
   * The plugins this build knows, by name (plugins/index.ts); `config.plugins` chooses among them.
   * Passed in by each entry point, so the core never imports a plugin.
   */
  plugins: PluginCatalog;
  clock?: () => Date;
  /** Faster pacing or a manual clock for the send queue (tests). */
  sending?: SendQueueOverrides;
}

export interface App {
  readonly config: AppConfig;
  readonly mode: AppMode;
  readonly logger: Logger;
  readonly store: ThreadStore;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  readonly registry: Registry;
  readonly monitoring: Monitoring;
  /** Where the figures are kept: other processes' figures too, on PostgreSQL. */
  readonly figures: MonitoringSnapshots;
  readonly alerts: AlertMonitor;
  /** The configured plugins, created (their own handles: `plugins.instances.get(name)?.handle`). */
  readonly plugins: LoadedPlugins;
  /** The plugins' outbox work: `wxerp sync`, the replay, the demo and the dashboard's retry drive it. */
  readonly sync: SyncControl;
  readonly host: CorePluginHost;
  /** The first account's router (the ERP plugin's commands are registered there and run on every account). */
  readonly router: DispatchingRouter;
  /** Every WeChat account of the process, the first (default) one first. */
  readonly accounts: readonly AccountWiring[];
  /** On PostgreSQL: every account of the team and its login, whichever process runs it. */
  readonly teamSessions?: () => Promise<TeamAccountSession[]>;
  /** Commands typed and their replies, as they happen (the demo's console, the replay report). */
  readonly commandRuns: CommandRuns;
  readonly scheduler: ScoringScheduler;
  /** The first account's WeChat (see `accounts` for all); absent in `sync` mode. */
  readonly runtime?: WechatyRuntime;
  /** WeChat's health (logged in, connected, heard from) and its alerts; absent in `sync` mode. */
  readonly wechat?: WechatWatch;
  /** Every WeChat send goes through it; absent in `sync` mode. */
  readonly sends?: SendQueue;
  readonly intake?: Intake;
  readonly llmCalls: () => number;
  /** Resolves once intake has finished with these message ids (replay, demo, tests). */
  whenHandled(messageIds: string[], timeoutMs?: number): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the pipeline of docs/architecture.md §1 together. Opening the store and the outbox may throw (corrupt
 * files).
 */
export async function createApp(config: AppConfig, options: AppOptions): Promise<App> {
  const { logger, mode } = options;
  const clock = options.clock ?? (() => new Date());
  const accountList = accountsOf(config);
  // First: a plugin name the catalog lacks, or a wrong puppet setting, fails before a store, an outbox or an emulator is opened.
  resolvePlugins(config.plugins, options.plugins);
  const runtimes =
    mode === "sync"
      ? []
      : accountList.map((account) =>
          createWechatyRuntime(config, accountLogger(logger, account).child({ module: "wechat" }), {
            account,
            // A ready puppet (tests) is the first account's.
            ...(options.puppet && account.isDefault ? { puppet: options.puppet } : {}),
            ...(options.bot && account.isDefault ? { bot: options.bot } : {}),
          }),
        );
  const data = await openDataDirectory(config, logger);
  const { store, outbox } = data;
  // On PostgreSQL the audit records and figures are the team's: every process writes there.
  const pool = data.database?.pool;
  const audit = pool
    ? createPostgresAuditLog({ dir: auditDir(config.dataDir), logger, pool })
    : createAuditLog({ dir: auditDir(config.dataDir), logger });
  const figures = monitoringSnapshots(config.dataDir, pool);
  const registry = new Registry();
  if (mode === "live") collectDefaultMetrics({ register: registry });
  const monitoring = new Monitoring(registry, () => clock().getTime(), await figures.readOwn());
  const plugins = await loadPlugins(options.plugins, { config, logger, mode, audit, outbox, monitoring, clock });
  // Late-bound: the host (and its activity feed) is created after the routers that reply.
  let activity: ((account: WechatAccount, text: string) => void) | undefined;
  // One WeChat account after another: each with its own runtime, sends, control chat and commands.
  const accounts = accountList.map((account, index) =>
    wireAccount(account, runtimes[index], {
      config,
      store,
      audit,
      logger,
      registry,
      several: accountList.length > 1,
      clock,
      ...(options.sending ? { sending: options.sending } : {}),
      echo: (to, text) => activity?.(to, text),
    }),
  );
  const main = accounts[0]!;
  if (mode !== "sync") accountLoginGauge(registry, accounts);
  const { runtime, wechat, sends, router } = main;
  const byThread = threadAccounts(store, accounts);
  const noticeToControl = async (notice: Notice): Promise<NoticeOutcome> => (await byThread(notice.threadId)).notice(notice);
  // Queued, not awaited: a notice may wait for others to fold into one message.
  const notifyControl = async (text: string, notice: NoticeOptions = {}) => void noticeToControl({ text, ...notice });
  const scorer = meteredScorer(createScorer(config, logger.child({ module: "scorer" })), monitoring);
  // The scheduler and the host refer to each other (scoreNow / onScored): late binding.
  let scheduler: ScoringScheduler | undefined;
  const host = createPluginHost({
    config,
    logger,
    store,
    router,
    metrics: registry,
    notifyControl,
    // On PostgreSQL, plugins' locks hold across every process on the database.
    ...(pool ? { locks: new AdvisoryKeyedLocks(pool) } : {}),
    // Replay: `/erp score` scores at conversation time, not wall-clock time.
    scoreNow: async (id) => scheduler!.scoreNow(id, mode === "live" ? undefined : (await store.getThread(id))?.lastMessageAt),
    ownMobiles: async () => new Set((await Promise.all(accounts.map((a) => a.ownMobiles.all()))).flatMap((set) => [...set])),
  });
  activity = (to, text) =>
    host.activityFeed.push({
      at: clock().toISOString(),
      kind: "command",
      text: `→ ${accounts.length > 1 ? `${to.id}/` : ""}${to.controlChat}: ${text.replace(/\n/g, " ⏎ ")}`,
      source: "commands",
    });
  const commands = commandRuns(
    { dispatch: accountsRouter(accounts) },
    (event) => host.activityFeed.push({ at: clock().toISOString(), ...event }),
    (error) => logger.warn({ err: error }, "a command-run listener failed"),
  );
  scheduler = createScoringScheduler({
    store,
    scorer,
    config,
    logger: logger.child({ module: "scoring" }),
    timers: mode === "live",
    now: clock,
    // A number any salesperson of the process uses is never a customer's.
    ownMobiles: async () => new Set((await Promise.all(accounts.map((a) => a.ownMobiles.all()))).flatMap((set) => [...set])),
    isIgnored: async (threadId) => {
      const wiring = await byThread(threadId);
      return wiring.scope.isIgnored(wechatIdOf(wiring.account, threadId));
    },
    onScored: async (event) => {
      host.activityFeed.push({
        at: event.at,
        kind: "scored",
        contactId: event.thread.id,
        text: `score ${event.result.score}`,
        source: "scoring",
        data: { score: event.result.score, fallback: event.result.fallback },
      });
      await host.emitThreadScored(event);
    },
  });
  const handled = new HandledTracker();
  const cardReader = createCardReader(config, logger);
  for (const wiring of accounts) {
    attachIntake(
      wiring,
      {
        backlogDetection: mode === "live",
        onMessage: async (event) => {
          await host.emitMessage(event);
          scheduler!.noteMessage(event.thread.id, event.message.at);
        },
        onCommand: (candidate) => commands.dispatch(candidate),
        ...optionalCardReader(cardReader),
        handled: (id) => handled.markHandled(id),
      },
      logger,
    );
  }
  const intake = main.intake;
  // Which accounts are logged in, for `wxerp status` (a run without WeChat leaves the file alone).
  // Writes go one after another, and none after the last one (stopped): a heartbeat or a logout
  // event still in flight when the process stops must not mark it running again after that.
  let sessionWrites: Promise<void> = Promise.resolve();
  let sessionsFinal = false;
  const saveSessions = (stopped = false): Promise<void> => {
    sessionWrites = sessionWrites.then(() => {
      if (sessionsFinal) return;
      if (stopped) sessionsFinal = true;
      return writeSessions(stopped);
    });
    return sessionWrites;
  };
  const writeSessions = async (stopped: boolean) => {
    if (mode === "sync") return;
    const sessions = accountSessions(accounts, new Date(), stopped);
    await writeAccountSessions(config.dataDir, sessions).catch((error: unknown) =>
      logger.warn({ err: error }, "could not write the accounts' login state"),
    );
    // On PostgreSQL the team's status reads every process's accounts from the database.
    if (pool) {
      await writeTeamSessions(pool, nodeName(config.dataDir), sessions, stopped).catch((error: unknown) =>
        logger.warn({ err: error }, "could not write the accounts' login state to the database"),
      );
    }
  };
  let sessionTimer: NodeJS.Timeout | undefined;
  for (const wiring of accounts) wiring.runtime?.onSession(() => saveSessions());

  for (const instance of plugins.instances.values()) await host.install(instance.plugin);
  mirrorCommands(router, accounts);
  const alerts = new AlertMonitor(alertRules(config.alerts), monitoring, noticeToControl, config.locale, () => clock().getTime());

  let saveTimer: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  const app: App = {
    config,
    mode,
    logger,
    store,
    outbox,
    audit,
    registry,
    monitoring,
    figures,
    alerts,
    plugins,
    sync: plugins.sync,
    host,
    router,
    accounts,
    ...(pool ? { teamSessions: () => readTeamSessions(pool) } : {}),
    commandRuns: commands,
    scheduler,
    ...(runtime ? { runtime } : {}),
    ...(wechat ? { wechat } : {}),
    ...(sends ? { sends } : {}),
    ...(intake ? { intake } : {}),
    llmCalls: () => scorer.calls(),
    whenHandled: (ids, timeoutMs) => handled.whenHandled(ids, timeoutMs),
    async start() {
      if (mode === "live") await resumeUnscored();
      for (const wiring of accounts) {
        try {
          await wiring.runtime?.start();
        } catch (error) {
          // Which account's gateway refused: the start error names it, its endpoint and its token variable.
          if (error instanceof GatewayBusyError) error.account = wiring.account.id;
          throw error;
        }
      }
      await saveSessions();
      if (pool && mode !== "sync") {
        // The heartbeat: a process that dies without stopping shows its accounts as not running.
        sessionTimer = setInterval(() => void saveSessions(), SESSION_HEARTBEAT_MS);
        sessionTimer.unref();
      }
      if (mode === "live") {
        for (const wiring of accounts) wiring.wechat?.start();
        alerts.start(config.alerts.checkIntervalSeconds * 1000, (error) => logger.warn({ err: error }, "alert check failed"));
        saveTimer = setInterval(() => void figures.writeOwn(monitoring.snapshot()).catch(() => undefined), 30_000);
        saveTimer.unref();
      }
    },
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };

  /** Conversations a previous run stopped before scoring: scheduled again, so a lead typed before a restart is scored. */
  async function resumeUnscored(): Promise<void> {
    let resumed = 0;
    for (const thread of await store.listThreads()) {
      if (thread.unscored === 0 || !thread.lastMessageAt) continue;
      scheduler!.resumeUnscored(thread.id, thread.lastMessageAt);
      resumed++;
    }
    if (resumed > 0) logger.info({ threads: resumed }, "conversations with unscored messages scheduled for scoring");
  }

  async function stopAll(): Promise<void> {
    if (saveTimer) clearInterval(saveTimer);
    if (sessionTimer) clearInterval(sessionTimer);
    alerts.stop();
    for (const wiring of accounts) wiring.wechat?.stop();
    const steps: Array<[string, () => Promise<unknown>]> = [
      ["scoring", () => scheduler!.stop()],
      ["plugins", () => host.shutdown()],
      ["sends", async () => Promise.all(accounts.map((a) => a.sends?.stop()))],
      ["wechat", async () => Promise.all(accounts.map((a) => a.runtime?.stop()))],
      ["store", () => store.close()],
      ["outbox", () => outbox.close()],
      ["audit", () => audit.close()],
      ["figures", () => figures.writeOwn(monitoring.snapshot())],
      ["sessions", () => saveSessions(true)],
      ["plugin connections", () => plugins.close()],
      ["lock", () => data.release()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error, step: name }, "error while stopping");
      }
    }
  }

  return app;
}

/** `scorer.vision` off: no reader, and intake never fetches an image. */
function optionalCardReader(reader: CardReader | undefined): { cardReader?: CardReader } {
  return reader ? { cardReader: reader } : {};
}
