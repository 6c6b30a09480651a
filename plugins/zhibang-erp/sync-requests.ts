import type { AdmissionResult, AppConfig, AuditLog, Outbox, OutboxJob, PluginHost, ThreadStore } from "../../src/plugin-api.ts";
import { checkAdmission } from "./admission/admission.ts";
import { identityOf } from "./admission/customer-identity.ts";
import { JOB_KINDS } from "./jobs/handlers.ts";
import { planSync } from "./sync/plan.ts";
import type { SyncJobPayload } from "./sync/sync-job.ts";

export interface SyncRequest {
  actor: string;
  /** Staff's `/erp sync`: the score check is overridden (recorded), the others still apply. */
  overrideScore?: boolean;
  /** Conversation time (replay) or now. */
  at: string;
}

export interface SyncRequestResult {
  admission: AdmissionResult;
  job?: OutboxJob;
  /** Linked and nothing new to write. */
  upToDate?: boolean;
}

/**
 * The admission decision and, when it passes, one durable sync job (docs/architecture.md §1.6, §3.6).
 * A thread that fails keeps its reasons for `/erp status` and touches nothing in the ERP.
 */
export class SyncRequests {
  constructor(
    private readonly deps: {
      config: AppConfig;
      store: ThreadStore;
      outbox: Outbox;
      audit: AuditLog;
      host: PluginHost;
      kick: () => void;
    },
  ) {}

  async request(threadId: string, request: SyncRequest): Promise<SyncRequestResult> {
    const { store, config, audit, host } = this.deps;
    const thread = await store.getThread(threadId);
    if (!thread) throw new Error(`no conversation with ${threadId}`);
    const contact = await store.getContact(thread.contactId);
    const identity = identityOf(thread, contact);
    const override = request.overrideScore && request.actor !== "auto" ? request.actor : undefined;
    const admission = checkAdmission({
      identity,
      score: thread.score,
      threshold: config.admission.scoreThreshold,
      ...(override ? { scoreOverriddenBy: override } : {}),
      at: request.at,
    });
    audit.write({
      operation: "decision.admission",
      actor: request.actor,
      contact: threadId,
      outcome: admission.passed ? "ok" : "skipped",
      score: thread.score,
      failed: admission.failed,
      checks: admission.checks,
      ...(override ? { scoreOverriddenBy: override } : {}),
    });
    const linked = thread.erp !== undefined;
    if (!admission.passed && !linked) {
      await store.updateThread(threadId, (t) => {
        t.admission = admission;
        t.syncState = "skipped";
      });
      host.activity({
        kind: "admission",
        contactId: threadId,
        text: `not admitted: ${admission.failed.join(", ")}`,
        data: { failed: admission.failed },
      });
      return { admission };
    }
    if (linked && !override) {
      const plan = planSync({
        thread,
        contact,
        identity,
        admission: { ...admission, passed: true, failed: [] },
        config,
        now: new Date(request.at),
      });
      if (plan.action === "update" && !plan.followup && !plan.assignment && Object.keys(plan.changes).length === 0) {
        return { admission, upToDate: true };
      }
    }
    if (!linked) host.activity({ kind: "admission", contactId: threadId, text: "admitted", data: { score: thread.score } });
    const payload: SyncJobPayload = { at: request.at, ...(override ? { scoreOverrideBy: override } : {}) };
    const job = await this.deps.outbox.enqueue({
      kind: JOB_KINDS.sync,
      key: threadId,
      payload,
      actor: request.actor,
      dedupeKey: `sync:${threadId}:${override ?? "auto"}`,
    });
    await store.updateThread(threadId, (t) => {
      if (!linked || !t.admission) t.admission = admission;
      t.syncState = "pending";
    });
    this.deps.kick();
    return { admission, job };
  }
}
