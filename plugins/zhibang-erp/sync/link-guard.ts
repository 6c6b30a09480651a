import type { Thread } from "../../../src/plugin-api.ts";
import { parseKhid } from "../mapping/erp-mapping.ts";
import type { ErpCustomer } from "./erp-port.ts";
import type { SyncDeps, SyncState } from "./sync-context.ts";

/**
 * Another conversation already holds this mobile or ERP record. Two WeChat contacts with
 * one number are rarely one customer: more often a quoted or pasted number (the
 * salesperson's own, a colleague's). The job stops for a person, who has been told what
 * to do (so the generic "job parked" note is not sent as well).
 */
export class LinkConflictError extends Error {
  override readonly name = "LinkConflictError";
  readonly retryable = false;
  readonly explained = true;
}

/** How long a link decided in this process counts before its thread records it (milliseconds apart). */
const RECENT_LINK_MS = 60_000;

/**
 * Links decided in this process whose thread may not have recorded them yet: a second job
 * with the same mobile, right behind the first, must see the first one's claim.
 */
export class RecentLinks {
  readonly #claims = new Map<string, { contactId: string; link: ClaimedLink; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  claim(keys: string[], contactId: string, link: ClaimedLink): void {
    for (const key of keys) this.#claims.set(key, { contactId, link, at: this.now() });
  }

  /** Another contact's claim on `key`, if still fresh: who, and the ERP record it was linked to. */
  heldByOther(key: string, contactId: string): { contactId: string; link: ClaimedLink } | undefined {
    const claim = this.#claims.get(key);
    if (!claim) return undefined;
    if (this.now() - claim.at > RECENT_LINK_MS) {
      this.#claims.delete(key);
      return undefined;
    }
    return claim.contactId === contactId ? undefined : { contactId: claim.contactId, link: claim.link };
  }
}

/** The ERP record a claim links to. */
export interface ClaimedLink {
  ord: string;
  khid: string;
}

/**
 * Another WeChat account of the process chatting with the same customer is no conflict: it
 * is the same person talking to a second salesperson, and that conversation becomes
 * follow-ups on the one customer. Only conversations on the same account are two contacts.
 */
function sameAccount(a: Thread, b: Thread): boolean {
  return (a.account ?? "") === (b.account ?? "");
}

/** Stops when another local conversation of this account already in the ERP has this mobile. */
export async function refuseMobileOfAnotherThread(deps: SyncDeps, state: SyncState, mobile: string): Promise<void> {
  const holder =
    (await deps.store.threadsWithMobile(mobile)).find(
      (t) => t.id !== state.thread.id && t.erp !== undefined && sameAccount(t, state.thread),
    ) ?? (await claimedThread(deps, `mobile:${mobile}`, state.thread));
  if (holder) conflict(deps, state, { mobile, holder });
}

/** Stops when another local conversation is linked to this ERP record. */
export async function refuseRecordOfAnotherThread(
  deps: SyncDeps,
  state: SyncState,
  customer: ErpCustomer,
  mobile: string,
): Promise<void> {
  const holder =
    (await deps.store.threadsLinkedTo(customer.ord)).find((t) => t.id !== state.thread.id && sameAccount(t, state.thread)) ??
    (await claimedThread(deps, `ord:${customer.ord}`, state.thread));
  if (holder) conflict(deps, state, { mobile, holder, customer });
}

/** A record this wxerp (its khid prefix) created; anything else was keyed in or imported by people. */
export function isOwnRecord(deps: SyncDeps, customer: ErpCustomer): boolean {
  return customer.khid !== undefined && parseKhid(deps.config.erp.khidPrefix, customer.khid) !== undefined;
}

/**
 * The conversation holding a fresh claim on `key`. Its thread may not show the link yet (its job
 * writes it a moment after the claim): the claimed record stands in, so the note names the khid.
 */
async function claimedThread(deps: SyncDeps, key: string, thread: Thread): Promise<Thread | undefined> {
  const other = deps.recentLinks.heldByOther(key, thread.id);
  const holder = other === undefined ? undefined : await deps.store.getThread(other.contactId);
  if (!holder || !sameAccount(holder, thread)) return undefined;
  return holder.erp ? holder : { ...holder, erp: { ord: other!.link.ord, khid: other!.link.khid } };
}

function conflict(deps: SyncDeps, state: SyncState, found: { mobile: string; holder: Thread; customer?: ErpCustomer }): never {
  deps.events.mobileTaken(state.thread, found.mobile, found.holder);
  const khid = found.holder.erp?.khid || found.customer?.khid || found.customer?.ord || "?";
  throw new LinkConflictError(
    `mobile already belongs to another conversation (${found.holder.id}, ${khid}): not linked automatically; a person decides`,
  );
}
