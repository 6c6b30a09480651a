import type { ErpLink, Thread } from "../../../src/plugin-api.ts";
import { accountOfThread } from "../../../src/plugin-api.ts";
import { checkAdmission } from "../admission/admission.ts";
import { identityOf } from "../admission/customer-identity.ts";
import { tierLabel } from "../mapping/erp-mapping.ts";
import { assignStep } from "./assign-step.ts";
import { createOrLink } from "./create-or-link.ts";
import { followupStep } from "./followup-step.ts";
import { customerContentOf, planSync } from "./plan.ts";
import type { SyncDeps, SyncJobRun, SyncOutcome } from "./sync-context.ts";

/** What a sync job carries in the outbox. */
export interface SyncJobPayload {
  /** Staff who ran `/erp sync`, overriding the score check only (audited). */
  scoreOverrideBy?: string;
  /** Conversation time that triggered the job (ISO). */
  at: string;
}

/**
 * One sync of one thread: admission → create or link → assign → follow-up, or for a
 * linked customer: update → move out of the public pool → follow-up. Idempotent under
 * retries and restarts through the job's checkpoint (see sync-context.ts).
 */
export async function runSyncJob(deps: SyncDeps, run: SyncJobRun, payload: SyncJobPayload): Promise<SyncOutcome> {
  const thread = await deps.store.getThread(run.contactId);
  if (!thread) throw Object.assign(new Error(`no thread ${run.contactId} in the store`), { retryable: false });
  const contact = await deps.store.getContact(thread.contactId);
  const identity = identityOf(thread, contact);
  const admission = checkAdmission({
    identity,
    score: thread.score,
    threshold: deps.config.admission.scoreThreshold,
    ...(payload.scoreOverrideBy ? { scoreOverriddenBy: payload.scoreOverrideBy } : {}),
    at: run.now.toISOString(),
  });
  // Admission gates the creation only: a linked customer keeps getting follow-ups, and a
  // job resumed after a crash finishes what it started, whatever the thread says now.
  const committed = thread.erp !== undefined || run.checkpoint.link !== undefined || run.checkpoint.allocatedOrd !== undefined;
  // A job that created the customer and stopped before its assignment or follow-up (a
  // crash, an ERP error) finishes the creation when it runs again: the link it already
  // wrote to the thread must not turn it into an update, which would never assign.
  const { erp: _written, ...unlinked } = thread;
  const base = run.checkpoint.link?.createdNew === true ? unlinked : thread;
  const current = { ...base, admission: committed ? { ...admission, passed: true, failed: [] } : admission };
  const plan = planSync({ thread: current, contact, identity, admission: current.admission, config: deps.config, now: run.now });
  deps.events.decision("decision.plan", thread.id, { action: plan.action, admission, actor: run.actor });

  if (plan.action === "skip") {
    await record(deps, thread.id, (t) => {
      t.admission = admission;
      t.syncState = t.erp ? "synced" : "skipped";
    });
    return { status: "skipped", failed: plan.failed };
  }

  if (plan.action === "create") {
    const linkedBefore = run.checkpoint.link !== undefined;
    const link = await createOrLink(deps, run, { thread, contact }, identity, plan.draft);
    await writeLink(deps, run, thread, link, admission, plan.draft, run.now);
    if (!link.createdNew) {
      if (!linkedBefore) tellIfColleagueOwns(deps, thread, link);
      return syncLinked(deps, run, payload, admission);
    }
    // The assignment and the first follow-up are independent writes on the new customer: sent
    // side by side, the customer is done one ERP round trip sooner. Each step checkpoints its own
    // progress, so a crash between or during them resumes each on its own (assign-step.ts,
    // followup-step.ts).
    const assigned = assignStep(deps, run, link.ord, plan.assignment).then((target) =>
      record(deps, thread.id, (t) => {
        t.erp!.public = target.mode === "public";
        t.erp!.owners = target.mode === "users" ? target.users : [];
      }),
    );
    const followedUp = postFollowup(deps, run, thread.id, link.ord, link.khid);
    await settleBoth(assigned, followedUp);
    return { status: "created", ord: link.ord, khid: link.khid };
  }
  return syncLinked(deps, run, payload, admission);
}

/** The update path for a thread whose customer is already linked. */
async function syncLinked(
  deps: SyncDeps,
  run: SyncJobRun,
  _payload: SyncJobPayload,
  admission: Thread["admission"],
): Promise<SyncOutcome> {
  const thread = (await deps.store.getThread(run.contactId))!;
  const erp = thread.erp!;
  const identity = identityOf(thread, await deps.store.getContact(thread.contactId));
  const plan = planSync({
    thread,
    contact: undefined,
    identity,
    admission: { ...admission!, passed: true, failed: [] },
    config: deps.config,
    now: run.now,
  });
  if (plan.action !== "update") return { status: "unchanged", ord: erp.ord, khid: erp.khid };
  let changed = false;
  if ((plan.changes.jz !== undefined || plan.changes.intro !== undefined) && !run.checkpoint.editDone) {
    await deps.erp.editCustomer(erp.ord, plan.changes);
    await run.save({ editDone: true });
    await record(deps, thread.id, (t) => {
      if (plan.changes.jz !== undefined) t.erp!.jz = plan.changes.jz;
      if (plan.changes.intro !== undefined) t.erp!.syncedSummary = plan.changes.intro;
    });
    changed = true;
  }
  if (plan.assignment) {
    const target = await assignStep(deps, run, erp.ord, plan.assignment);
    await record(deps, thread.id, (t) => {
      t.erp!.public = target.mode === "public";
      t.erp!.owners = target.mode === "users" ? target.users : [];
    });
    changed = true;
  }
  if (plan.followup !== undefined || run.checkpoint.followupIntro !== undefined) {
    changed = (await postFollowup(deps, run, thread.id, erp.ord, erp.khid)) || changed;
  }
  await record(deps, thread.id, (t) => {
    t.syncState = "synced";
    t.erp!.lastSyncAt = run.now.toISOString();
    delete t.lastError; // a sync went through: an earlier failure is history (and /erp status stops showing it)
  });
  const outcome: SyncOutcome = changed
    ? { status: "updated", ord: erp.ord, khid: erp.khid }
    : { status: "unchanged", ord: erp.ord, khid: erp.khid };
  if (changed && erp.linked) (outcome as { linked?: string }).linked = erp.linked;
  return outcome;
}

async function postFollowup(deps: SyncDeps, run: SyncJobRun, threadId: string, ord: string, khid: string): Promise<boolean> {
  const thread = (await deps.store.getThread(threadId))!;
  // The ERP may already hold this very follow-up: a record linked rather than created (a fresh
  // data directory, a second bot posted it before), or an earlier job posted it and failed
  // before recording it (its lastError is still on the thread; a later sync took over).
  const mayExist = thread.erp?.linked !== undefined || thread.lastError !== undefined;
  const sequence = (thread.erp?.followups ?? 0) + 1;
  const posted = await followupStep(deps, run, { ord, khid, sequence, summary: thread.summary }, { mayExist });
  if (posted === undefined) return false;
  await record(deps, threadId, (t) => {
    t.erp!.followups = Math.max(t.erp!.followups ?? 0, posted);
    t.erp!.lastFollowupAt = run.now.toISOString();
    t.erp!.followupMessageCount = thread.messageCount;
    t.erp!.followupContentCount = customerContentOf(thread);
    t.erp!.lastSyncAt = run.now.toISOString();
    t.syncState = "synced";
  });
  return true;
}

async function writeLink(
  deps: SyncDeps,
  run: SyncJobRun,
  thread: Thread,
  link: NonNullable<SyncJobRun["checkpoint"]["link"]>,
  admission: Thread["admission"],
  draft: { jz: number; intro: string },
  now: Date,
): Promise<void> {
  // The job's checkpoint holds the link before the thread does: a resumed job that finds the
  // link only on the thread would take a new customer for a linked one and never assign it.
  await run.durable();
  await record(deps, thread.id, (t) => {
    const erp: ErpLink = t.erp ?? { ord: link.ord, khid: link.khid };
    // The first creation or link only (a resumed job keeps it): the calibration report
    // compares the score and tier of this moment with how far the customer got since.
    if (erp.linkedAt === undefined) {
      erp.linkedAt = now.toISOString();
      if (t.score !== undefined) {
        erp.linkScore = t.score;
        erp.linkTier = tierLabel(deps.config.assignment.tiers, t.score);
      }
    }
    erp.ord = link.ord;
    erp.khid = link.khid;
    if (link.linked) erp.linked = link.linked;
    if (link.personOrd) erp.personOrd = link.personOrd;
    if (link.owners !== undefined) erp.owners = link.owners;
    if (link.public !== undefined) erp.public = link.public;
    if (link.createdNew) {
      erp.jz = draft.jz;
      erp.syncedSummary = draft.intro;
    }
    t.erp = erp;
    if (admission) t.admission = admission;
    t.syncState = "synced";
    delete t.lastError;
  });
  // The link must survive a crash right after this point (the next steps trust it): this
  // thread's files, not every file the store has pending.
  await deps.store.flushThread(thread.id);
}

/** A customer found in the ERP that another salesperson owns stays theirs; this account's salesperson is told. */
function tellIfColleagueOwns(deps: SyncDeps, thread: Thread, link: NonNullable<SyncJobRun["checkpoint"]["link"]>): void {
  const me = accountOfThread(deps.config, thread).erpUser;
  const owners = link.owners ?? [];
  if (me === undefined || link.public === true || owners.length === 0 || owners.includes(me)) return;
  deps.events.ownedByColleague(thread, { ord: link.ord, khid: link.khid, owners });
}

/** Waits for both, then fails with the first failure: neither step is left running behind a failed job. */
async function settleBoth(a: Promise<unknown>, b: Promise<unknown>): Promise<void> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === "rejected") throw first.reason;
  if (second.status === "rejected") throw second.reason;
}

async function record(deps: SyncDeps, threadId: string, change: (t: Thread) => void): Promise<void> {
  await deps.store.updateThread(threadId, change);
}
