import type { AuditLog, Monitoring, PluginHost, ScoredEvent, WxerpPlugin } from "../../src/plugin-api.ts";
import { type DrainSummary, maskText, type Outbox, OutboxWorker, StoreOrderedOutbox } from "../../src/plugin-api.ts";
import { erpCallGate } from "./client/call-gate.ts";
import { registerErpCommands } from "./commands/index.ts";
import type { ErpConnection } from "./connect.ts";
import { isLoginRefusal, khidConflictNotice, parkedJobNotice } from "./control-notices.ts";
import { jobHandlers, LoginLatch } from "./jobs/handlers.ts";
import { JobWaiter } from "./jobs/job-waiter.ts";
import { withWriteDeadline } from "./jobs/write-deadline.ts";
import { linkNotes } from "./link-notes.ts";
import { clientPort } from "./sync/client-port.ts";
import { KhidConflictScan, type KhidScanResult } from "./sync/khid-conflict-scan.ts";
import { RecentLinks } from "./sync/link-guard.ts";
import { hasNewCustomerContent } from "./sync/plan.ts";
import type { SyncDeps, SyncEvents } from "./sync/sync-context.ts";
import { SyncRequests } from "./sync-requests.ts";

export interface ZhibangErpPluginOptions {
  connection: ErpConnection;
  outbox: Outbox;
  audit: AuditLog;
  monitoring: Monitoring;
  /** false for the replay and `wxerp sync`, which drain the outbox themselves. */
  startWorker?: boolean;
  /** How long a chat command waits for its job before answering "queued". */
  commandWaitMs?: number;
  clock?: () => Date;
}

/** What the app, the replay and `wxerp sync` drive besides the plugin's own hooks. */
export interface ZhibangErpControl {
  /**
   * Conversations with unscored messages are scored first (a restart may have cut their idle
   * timer); then every thread admitted but not yet in the ERP gets a job; failed jobs run again.
   */
  syncPending(actor: string): Promise<{ enqueued: number; scored: number }>;
  /** Runs the outbox until nothing is due now (back-off ignored when asked). */
  drain(options?: { ignoreBackoff?: boolean }): Promise<DrainSummary>;
  requests(): SyncRequests;
  /** Jobs were released by hand (dashboard retry): run what is due now. */
  kick(): void;
  /** Looks for our customer numbers held twice in the ERP now (it also runs every erp.khidScanMinutes). */
  scanKhidConflicts(): Promise<KhidScanResult>;
}

/**
 * The 智邦 ERP plugin (docs/architecture.md §1.6): admission on every scored thread, an idempotent
 * sync through the durable outbox, tier assignment, follow-ups and the `/erp` commands.
 */
export function zhibangErpPlugin(options: ZhibangErpPluginOptions): { plugin: WxerpPlugin; control: ZhibangErpControl } {
  const clock = options.clock ?? (() => new Date());
  const latch = new LoginLatch();
  const waiter = new JobWaiter();
  let requests: SyncRequests | undefined;
  let worker: OutboxWorker | undefined;
  let installedStore: SyncDeps["store"] | undefined;
  let installedHost: PluginHost | undefined;
  let outbox: Outbox = options.outbox;
  let khidScan: KhidConflictScan | undefined;

  const plugin: WxerpPlugin = {
    name: "zhibang-erp",
    install(host: PluginHost) {
      const { config, store } = host;
      installedStore = store;
      installedHost = host;
      warnIfRequestOutlivesWriteWindow(host);
      // One ERP server for every process: requests wait for a slot (erp.maxConcurrentCalls, erp.maxCallsPerSecond).
      // A job's write that got its slot past the job's write deadline is not sent (team mode).
      options.connection.client.limitCalls(
        withWriteDeadline(
          erpCallGate(host.locks, {
            maxConcurrentCalls: config.erp.maxConcurrentCalls,
            maxCallsPerSecond: config.erp.maxCallsPerSecond,
          }),
        ),
      );
      // Jobs are recorded only behind the thread state they read or produced (kill safety).
      outbox = new StoreOrderedOutbox(options.outbox, (threadId) => store.flushThread(threadId));
      const deps: SyncDeps = {
        store,
        config,
        erp: clientPort(options.connection.client),
        events: syncEvents(host, options),
        identityLocks: host.locks,
        recentLinks: new RecentLinks(() => clock().getTime()),
      };
      worker = new OutboxWorker({
        outbox,
        handlers: jobHandlers(deps, latch, clock),
        concurrency: config.sync.concurrency,
        logger: host.logger.child({ module: "outbox" }),
        clock,
        onSettled: async (job, outcome) => {
          options.monitoring.recordSync(outcome.status === "done");
          if (outcome.status === "done") waiter.settle(job.id, { ok: true, result: outcome.result });
          else waiter.settle(job.id, { ok: false, error: outcome.error, parked: outcome.status === "failed" });
          if (outcome.status === "retry") {
            await store.updateThread(job.key, (t) => {
              t.lastError = outcome.error;
            });
          }
        },
        onParked: async (job, error) => {
          const message = maskText(error instanceof Error ? error.message : String(error));
          await store.updateThread(job.key, (t) => {
            t.syncState = "failed";
            t.lastError = message;
          });
          const contact = await store.getContact(job.key);
          const name = contact?.alias || contact?.name || job.key;
          host.activity({ kind: "failed", contactId: job.key, text: `ERP job parked: ${message}` });
          // A conflict that already told staff what to do needs no second, vaguer note.
          if (isExplained(error)) return;
          const notice = parkedJobNotice(config.locale, {
            name,
            attempts: job.attempts,
            reason: message,
            loginRefused: isLoginRefusal(error),
          });
          await host.notifyControl(notice.text, { ...notice.options, threadId: job.key });
        },
      });
      const kick = () => worker?.kick();
      requests = new SyncRequests({ config, store, outbox, audit: options.audit, host, kick });
      registerErpCommands(host.commands, {
        config,
        store,
        outbox,
        audit: options.audit,
        host,
        client: options.connection.client,
        requests,
        waiter,
        latch,
        kick,
        waitMs: options.commandWaitMs ?? 20_000,
        clock,
        syncPending: (actor) => control.syncPending(actor),
      });
      host.onThreadScored((event) => onScored(event, host));
      khidScan = new KhidConflictScan(deps);
      let scanTimer: NodeJS.Timeout | undefined;
      if (options.startWorker !== false) {
        worker.start();
        scanTimer = scheduleKhidScans(khidScan, config.erp.khidScanMinutes, host);
      }
      return async () => {
        clearInterval(scanTimer);
        await worker?.stop();
      };
    },
  };

  async function onScored(event: ScoredEvent, host: PluginHost): Promise<void> {
    if (!host.config.sync.auto) return;
    await requests!.request(event.thread.id, { actor: "auto", at: event.at });
  }

  const control: ZhibangErpControl = {
    async syncPending(actor) {
      latch.clear();
      await outbox.retryFailed();
      let enqueued = 0;
      if (!installedStore || !installedHost || !requests) throw new Error("the ERP plugin is not installed");
      const store = installedStore;
      const queued = async (threadId: string) =>
        (await outbox.list({ key: threadId, states: ["pending", "running"] })).length > 0;
      const scoredNow = new Set<string>();
      let scored = 0;
      for (const thread of await store.listThreads()) {
        if (thread.unscored === 0) continue;
        // A job its scoring queues (sync.auto) counts as queued by this pass, unless one was waiting already.
        const hadJob = await queued(thread.id);
        if (!(await installedHost.scoreNow(thread.id))) continue;
        scored++;
        if (!hadJob) scoredNow.add(thread.id);
      }
      // Every job needs its thread on disk before it is queued: one write cycle for all the
      // threads scored above (files written side by side), not one file write per job in turn.
      await store.flush();
      for (const thread of await store.listThreads()) {
        if (thread.score === undefined) continue;
        // A linked customer with conversation not yet followed up (a crash between its scoring
        // and its job, or a job given up on): the plan decides whether anything is due.
        if (thread.erp && !hasNewCustomerContent(thread)) continue;
        // A job released by retryFailed above (or queued by the scoring above) already covers the thread.
        if (await queued(thread.id)) {
          if (scoredNow.has(thread.id)) enqueued++;
          continue;
        }
        const result = await requests!.request(thread.id, { actor, at: thread.scoredAt ?? clock().toISOString() });
        if (result.job) enqueued++;
      }
      return { enqueued, scored };
    },
    async drain(drainOptions = {}) {
      if (!worker) throw new Error("the ERP plugin is not installed");
      return worker.drain({ ignoreBackoff: drainOptions.ignoreBackoff ?? false });
    },
    requests: () => requests!,
    kick: () => worker?.kick(),
    scanKhidConflicts() {
      if (!khidScan) throw new Error("the ERP plugin is not installed");
      return khidScan.run();
    },
  };

  return { plugin, control };
}

/** The conflict scan every `minutes` (0 = never), one at a time; a failed scan waits for the next. */
function scheduleKhidScans(scan: KhidConflictScan, minutes: number, host: PluginHost): NodeJS.Timeout | undefined {
  if (minutes <= 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    scan
      .run()
      .catch((error: unknown) => host.logger.warn({ err: error }, "khid conflict scan failed; it runs again later"))
      .finally(() => {
        running = false;
      });
  }, minutes * 60_000);
  timer.unref();
  return timer;
}

function syncEvents(host: PluginHost, options: ZhibangErpPluginOptions): SyncEvents {
  return {
    ...linkNotes(host, options.audit),
    duplicateAvoided(how, thread, customer) {
      options.monitoring.recordDuplicateAvoided();
      options.audit.write({
        operation: "decision.dedupe",
        actor: "auto",
        contact: thread.id,
        outcome: "ok",
        how,
        ord: customer.ord,
        khid: customer.khid,
      });
      host.activity({
        kind: "linked",
        contactId: thread.id,
        text: `already in the ERP (by ${how}): linked to ord ${customer.ord}`,
      });
    },
    khidConflict(khid, thread, customer) {
      options.monitoring.recordKhidConflict();
      options.audit.write({
        operation: "decision.khid_conflict",
        actor: "auto",
        contact: thread.id,
        outcome: "skipped",
        khid,
        heldBy: customer.ord,
      });
      host.activity({
        kind: "conflict",
        contactId: thread.id,
        text: `khid ${khid} is held by another ERP customer (ord ${customer.ord}); using a new number`,
      });
      const notice = khidConflictNotice(host.config.locale, khid, String(customer.ord));
      void host.notifyControl(notice.text, { ...notice.options, threadId: thread.id });
    },
    decision(operation, contactId, detail) {
      options.audit.write({ operation, actor: String(detail.actor ?? "auto"), contact: contactId, outcome: "ok", ...detail });
    },
    activity(kind, contactId, text, data) {
      host.activity({ kind, contactId, text, ...(data ? { data } : {}) });
    },
  };
}

/** The job's error (or its cause, as the outbox wraps it) says staff were already told. */
function isExplained(error: unknown): boolean {
  const explained = (e: unknown) => (e as { explained?: unknown } | undefined)?.explained === true;
  return explained(error) || explained((error as { cause?: unknown } | undefined)?.cause);
}

/**
 * Team mode stops a job's ERP writes at half its lease (the write deadline); a request sent just
 * before may run erp.timeoutMs longer. Past the lease another process may resume the job, so a
 * timeout that long leaves a window for a write to land after the other process looked.
 */
function warnIfRequestOutlivesWriteWindow(host: PluginHost): void {
  const { config } = host;
  if (!config.secrets.databaseUrl) return;
  const windowMs = (config.sync.leaseSeconds * 1000) / 2;
  if (config.erp.timeoutMs < windowMs) return;
  host.logger.warn(
    { erpTimeoutMs: config.erp.timeoutMs, leaseSeconds: config.sync.leaseSeconds },
    `erp.timeoutMs (${config.erp.timeoutMs} ms) is not under half of sync.leaseSeconds (${config.sync.leaseSeconds} s): a slow ERP request could still land after another process took its job over; raise sync.leaseSeconds or lower erp.timeoutMs`,
  );
}
