import { collectDefaultMetrics, Registry } from "prom-client";
import { type ConnectErpOptions, connectErp, type ErpConnection } from "../../plugins/zhibang-erp/connect.ts";
import { erpCallRecorder } from "../../plugins/zhibang-erp/erp-call-recorder.ts";
import { type ZhibangErpControl, zhibangErpPlugin } from "../../plugins/zhibang-erp/plugin.ts";
import { type AuditLog, auditDir, createAuditLog, createPostgresAuditLog } from "../audit/index.ts";
import { createWechatyRuntime, type WechatyRuntime } from "../bot/runtime.ts";
import type { DispatchingRouter } from "../commands/router.ts";
import type { AppConfig } from "../config/schema.ts";
import { CustomerScope } from "../intake/customer-scope.ts";
import { findWechatContacts } from "../intake/find-contacts.ts";
import { ignoreCommand } from "../intake/ignore-command.ts";
import { createIntake, type Intake } from "../intake/intake.ts";
import { OwnMobiles } from "../intake/own-mobiles.ts";
import type { Logger } from "../logging/logger.ts";
import { AlertMonitor, alertRules } from "../monitoring/alerts.ts";
import { Monitoring } from "../monitoring/monitoring.ts";
import type { MonitoringSnapshots } from "../monitoring/snapshot-store.ts";
import type { Outbox } from "../outbox/index.ts";
import { type CorePluginHost, createPluginHost } from "../plugins/host.ts";
import { createScorer } from "../scorer/index.ts";
import { type CardReader, createCardReader } from "../scorer/vision/card-reader.ts";
import { createScoringScheduler } from "../scoring/scheduler.ts";
import type { ScoringScheduler } from "../scoring/types.ts";
import type { Notice, NoticeOptions, NoticeOutcome } from "../sending/notice.ts";
import type { SendQueue } from "../sending/send-queue.ts";
import { type SendQueueOverrides, wechatSendQueue } from "../sending/wechat-sends.ts";
import type { ThreadStore } from "../store/types.ts";
import { type CommandRuns, commandRuns } from "./command-runs.ts";
import { commandWiring } from "./command-wiring.ts";
import { HandledTracker } from "./handled-tracker.ts";
import { meteredScorer } from "./metered-scorer.ts";
import { monitoringSnapshots } from "./monitoring-file.ts";
import { openDataDirectory } from "./open-data.ts";
import { type WechatWatch, watchWechat } from "./wechat-watch.ts";

/**
 * How the app runs: `live` (wxerp start: timers, backlog rule, the outbox worker), `replay`
 * (conversation time drives scoring, the driver drains the outbox) and `sync` (no WeChat:
 * one pass over the outbox for cron).
 */
export type AppMode = "live" | "replay" | "sync";

export interface AppOptions {
  logger: Logger;
  mode: AppMode;
  /** A ready puppet (tests: PuppetService on loopback). */
  puppet?: unknown;
  /** Extra options for the ERP connection (emulator faults in tests and benches). */
  erp?: ConnectErpOptions;
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
  readonly erp: ErpConnection;
  readonly erpControl: ZhibangErpControl;
  readonly host: CorePluginHost;
  readonly router: DispatchingRouter;
  /** Commands typed and their replies, as they happen (the demo's console, the replay report). */
  readonly commandRuns: CommandRuns;
  readonly scheduler: ScoringScheduler;
  /** Absent in `sync` mode. */
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
  // First: a wrong puppet setting fails before a store, an outbox or an emulator is opened.
  const runtime =
    mode === "sync"
      ? undefined
      : createWechatyRuntime(config, logger.child({ module: "wechat" }), options.puppet ? { puppet: options.puppet } : {});
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
  const erp = await connectErp(config, logger, { ...options.erp, onCall: erpCallRecorder(audit, monitoring) });
  const wechat = runtime ? watchWechat(runtime, { config, registry, logger: logger.child({ module: "wechat" }) }) : undefined;
  const sends = runtime
    ? wechatSendQueue(runtime, config, { logger: logger.child({ module: "sends" }), registry }, options.sending)
    : undefined;
  // Late-bound: the host (and its activity feed) is created after the router that replies.
  let activity: ((text: string) => void) | undefined;
  const noticeToControl = (notice: Notice): Promise<NoticeOutcome> => {
    activity?.(notice.text);
    if (sends) return sends.notify(notice);
    logger.warn({ text: notice.text }, "control chat message (no WeChat in this mode)");
    return Promise.resolve("dropped");
  };
  // Queued, not awaited: a notice may wait for others to fold into one message.
  const notifyControl = async (text: string, notice: NoticeOptions = {}) => void noticeToControl({ text, ...notice });
  const reply = (to: string, text: string): Promise<void> =>
    sends ? sends.reply(to, text) : Promise.reject(new Error("no WeChat in this mode: reply not sent"));
  const replyToControl = (text: string): Promise<void> => {
    activity?.(text);
    return reply(config.commands.controlChat, text);
  };
  const { router, onPickOffer } = commandWiring({
    config,
    store,
    audit,
    logger,
    runtime,
    replies: { toControl: replyToControl, to: reply },
    notifyControl,
    clock,
  });
  // Whose chats are customers', and the salesperson's own numbers: intake, scoring and commands share them.
  const scope = new CustomerScope(config.wechat.customers, store, {
    warn: (text) => {
      logger.warn({ scope: config.wechat.customers.scope }, text);
      void notifyControl(text).catch(() => undefined);
    },
  });
  const ownMobiles = new OwnMobiles(store, config.wechat.selfMobiles);
  router.register(
    ignoreCommand({
      scope,
      store,
      audit,
      clock,
      ...(runtime ? { findContacts: (who: string) => findWechatContacts(runtime.bot, who) } : {}),
    }),
  );
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
    // Replay: `/erp score` scores at conversation time, not wall-clock time.
    scoreNow: async (id) => scheduler!.scoreNow(id, mode === "live" ? undefined : (await store.getThread(id))?.lastMessageAt),
  });
  activity = (text) =>
    host.activityFeed.push({
      at: clock().toISOString(),
      kind: "command",
      text: `→ ${config.commands.controlChat}: ${text.replace(/\n/g, " ⏎ ")}`,
      source: "commands",
    });
  const commands = commandRuns(
    router,
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
    ownMobiles: () => ownMobiles.all(),
    isIgnored: (contactId) => scope.isIgnored(contactId),
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
  const intake = runtime
    ? createIntake({
        store,
        config,
        logger: logger.child({ module: "intake" }),
        selfId: () => runtime.selfId(),
        loginAt: () => runtime.loginAt(),
        backlogDetection: mode === "live",
        isOwnEcho: (id, text) => runtime.isOwnEcho(id, text),
        onMessage: async (event) => {
          await host.emitMessage(event);
          scheduler!.noteMessage(event.thread.id, event.message.at);
        },
        onCommand: (candidate) => commands.dispatch(candidate),
        onPickOffer,
        scope,
        ownMobiles,
        ...optionalCardReader(createCardReader(config, logger)),
      })
    : undefined;
  const handled = new HandledTracker();
  if (runtime && intake) {
    runtime.onMessage(async (message) => {
      try {
        await intake.handle(message);
      } finally {
        handled.markHandled(message.id);
      }
    });
    runtime.onFriendship(async (friendship) => {
      try {
        await intake.handleFriendship(friendship);
      } finally {
        handled.markHandled(friendship.id);
      }
    });
  }

  const erpPlugin = zhibangErpPlugin({ connection: erp, outbox, audit, monitoring, startWorker: mode !== "sync", clock });
  await host.install(erpPlugin.plugin);
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
    erp,
    erpControl: erpPlugin.control,
    host,
    router,
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
      if (runtime) await runtime.start();
      if (mode === "live") {
        wechat?.start();
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
    alerts.stop();
    wechat?.stop();
    const steps: Array<[string, () => Promise<unknown>]> = [
      ["scoring", () => scheduler!.stop()],
      ["plugins", () => host.shutdown()],
      ["sends", async () => sends?.stop()],
      ["wechat", async () => runtime?.stop()],
      ["store", () => store.close()],
      ["outbox", () => outbox.close()],
      ["audit", () => audit.close()],
      ["figures", () => figures.writeOwn(monitoring.snapshot())],
      ["erp", () => erp.close()],
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
