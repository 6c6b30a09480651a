import type { AdmissionResult, AppConfig, Contact, Thread } from "../../../src/plugin-api.ts";
import { accountOfThread } from "../../../src/plugin-api.ts";
import type { CustomerIdentity } from "../admission/customer-identity.ts";
import { followupIntro, jzForScore, sort1Value, tierForScore } from "../mapping/erp-mapping.ts";
import type { CustomerDraft } from "./erp-port.ts";

/**
 * What a sync should do for one thread, decided without any I/O (unit-tested without
 * HTTP). The apply step (sync-job.ts and the steps it calls) performs the ERP calls,
 * including the dedupe lookups that can turn a "create" into a link.
 */

/** `owner`: with assignment.mode owner, the ERP user of the account the conversation is on. */
export type AssignmentTarget =
  | { mode: "users"; tierIndex: number; tierName?: string; owner?: string }
  | { mode: "public"; tierIndex: number; tierName?: string };

export type { CustomerDraft } from "./erp-port.ts";

export type SyncPlan =
  | { action: "skip"; failed: string[] }
  | { action: "create"; draft: CustomerDraft; assignment: AssignmentTarget; followup: string }
  | {
      action: "update";
      /** Fields of the ERP record to change (jz, intro), empty when nothing changed. */
      changes: { jz?: number; intro?: string };
      /** Move out of the public pool to a user tier; never away from a user. */
      assignment?: AssignmentTarget;
      followup?: string;
      /** Why no follow-up (shown in /erp status). */
      followupSkipped?: "no new content" | "rate limited";
    };

export interface PlanInput {
  thread: Thread;
  contact: Contact | undefined;
  identity: CustomerIdentity;
  admission: AdmissionResult;
  config: AppConfig;
  /** The conversation time of this sync (replay: message time; live: now). */
  now: Date;
}

export function planSync(input: PlanInput): SyncPlan {
  const { thread, identity, admission, config } = input;
  if (!admission.passed) return { action: "skip", failed: admission.failed };
  const score = thread.score ?? 0;
  const intro = followupIntro(thread.summary);
  if (!thread.erp) {
    return {
      action: "create",
      draft: draftFor(identity, score, intro, config),
      assignment: assignmentFor(config, score, thread),
      followup: intro,
    };
  }
  return planUpdate(input, score, intro);
}

function planUpdate(input: PlanInput, score: number, intro: string): SyncPlan {
  const { thread, config, now } = input;
  const erp = thread.erp!;
  const changes: { jz?: number; intro?: string } = {};
  // Only records wxerp created are rewritten; a customer someone keyed in by hand (found by
  // mobile, or a colleague's company) keeps its own 价值评估 and 备注: the bot adds follow-ups.
  if (!erp.linked) {
    const jz = jzForScore(score);
    if (erp.jz !== jz) changes.jz = jz;
    if ((erp.syncedSummary ?? "") !== intro) changes.intro = intro;
  }

  const plan: Extract<SyncPlan, { action: "update" }> = { action: "update", changes };
  const target = assignmentFor(config, score, thread);
  // Created by wxerp but never assigned (its job was parked between save and assign): the
  // record still belongs to the API account, so the tier's assignment is owed.
  const neverAssigned = !erp.linked && erp.owners === undefined && erp.public === undefined;
  if (neverAssigned || (erp.public && target.mode === "users" && !erp.personOrd)) plan.assignment = target;

  const hasNewContent = hasNewCustomerContent(thread);
  const last = erp.lastFollowupAt ? Date.parse(erp.lastFollowupAt) : undefined;
  const intervalMs = config.followup.minIntervalMinutes * 60_000;
  if (!hasNewContent) plan.followupSkipped = "no new content";
  else if (last !== undefined && now.getTime() - last < intervalMs) plan.followupSkipped = "rate limited";
  else plan.followup = intro;
  return plan;
}

/**
 * The customer wrote something since the last follow-up (words, a greeting, a 名片; not the
 * salesperson's chatter, not media placeholders). Data from before content was counted
 * compares message counts, which the content count starts from.
 */
export function hasNewCustomerContent(thread: Thread): boolean {
  const erp = thread.erp;
  if (!erp) return true;
  const followedUp = erp.followupContentCount ?? erp.followupMessageCount ?? 0;
  return customerContentOf(thread) > followedUp;
}

export function customerContentOf(thread: Thread): number {
  return thread.customerContentCount ?? thread.messageCount;
}

/**
 * The tier for the score decides public pool or not; who among users follows the mode:
 * the tier's users in turn, or (mode owner) the salesperson whose WeChat has the conversation.
 */
export function assignmentFor(config: AppConfig, score: number, thread: Pick<Thread, "account"> = {}): AssignmentTarget {
  const found = tierForScore(config.assignment.tiers, score);
  // The schema requires at least one tier; a score below every tier goes to the public pool.
  if (!found || found.tier.public) return withName({ mode: "public", tierIndex: found?.index ?? -1 }, found?.tier.name);
  const target: AssignmentTarget = { mode: "users", tierIndex: found.index };
  const owner = config.assignment.mode === "owner" ? accountOfThread(config, thread).erpUser : undefined;
  if (owner !== undefined) target.owner = owner;
  return withName(target, found.tier.name);
}

function withName<T extends AssignmentTarget>(target: T, name: string | undefined): T {
  if (name !== undefined) target.tierName = name;
  return target;
}

function draftFor(identity: CustomerIdentity, score: number, intro: string, config: AppConfig): CustomerDraft {
  const personName = identity.name ?? "";
  const draft: CustomerDraft = {
    intsort: identity.type === "company" ? 1 : 2,
    name: identity.type === "company" && identity.company ? identity.company : personName,
    personName,
    mobile: identity.mobile ?? "",
    ly: config.erp.source,
    jz: jzForScore(score),
    sort1: sort1Value(config.erp.sort1),
    intro,
  };
  if (identity.weixin) draft.weixin = identity.weixin;
  if (identity.email) draft.email = identity.email;
  if (identity.address) draft.address = identity.address;
  return draft;
}
