import { foldFullWidth, normalizeMobile } from "../../../src/plugin-api.ts";
import type { CustomerIdentity } from "../admission/customer-identity.ts";
import { ErpValidationError } from "../client/index.ts";
import type { ErpCustomer } from "./erp-port.ts";
import { khidFor, nextKhidAfterConflict } from "./khid-allocation.ts";
import { isOwnRecord, refuseMobileOfAnotherThread, refuseRecordOfAnotherThread } from "./link-guard.ts";
import type { CustomerDraft } from "./plan.ts";
import type { SyncCheckpoint, SyncDeps, SyncJobRun, SyncState } from "./sync-context.ts";

type Link = NonNullable<SyncCheckpoint["link"]>;

/** A khid conflict is retried with a fresh number, but not forever. */
const MAX_KHID_CONFLICTS = 3;

/**
 * Finds the thread's customer in the ERP or creates it, exactly once (docs/architecture.md §3.7, dedupe:
 * the local link, then the khid, then the mobile, then a colleague's company). Every
 * step is checkpointed before the next ERP write, so a crash at any point resumes here
 * without a second customer. A mobile another conversation already holds stops the job
 * for a person (link-guard.ts); records staff unlinked from this thread are passed over.
 */
export async function createOrLink(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  identity: CustomerIdentity,
  draft: CustomerDraft,
): Promise<Link> {
  if (run.checkpoint.link) return run.checkpoint.link;
  // A khid handed out before (an earlier attempt, a crash after save) is checked first.
  const earlier = run.checkpoint.khid ?? (state.contact?.localNo !== undefined ? await khidFor(deps, run.contactId) : undefined);
  if (earlier) {
    const { khid, ours } = await conflictFreeKhid(deps, run, state, identity, earlier);
    if (ours) return linkOurs(deps, run, state, khid, ours, draft);
  }
  return oneAtATime(deps, identity, draft, async () => {
    if (identity.mobile) await refuseMobileOfAnotherThread(deps, state, identity.mobile);
    const existing = await findExisting(deps, state, identity, draft);
    if (existing) return saveFoundLink(deps, run, state, identity, existing);
    // Only now a new number: a customer found above never burns one (numbers are never reused).
    // A fresh number lies above the ERP's floor (khid-allocation.ts): it is not looked up first;
    // someone who took it meanwhile is caught when the save is refused (createCustomer).
    const khid = run.checkpoint.khid ?? (await khidFor(deps, run.contactId));
    if (run.checkpoint.khid !== khid) await run.save({ khid });
    const link = await createCustomer(deps, run, state, identity, khid, draft);
    claimLink(deps, run.contactId, identity, link);
    return link;
  });
}

/** A customer found in the ERP: the link is recorded, claimed, and staff told when people keyed the record in. */
async function saveFoundLink(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  identity: CustomerIdentity,
  found: { link: Link; customer: ErpCustomer; how: "mobile" | "company" },
): Promise<Link> {
  const link = await saveLink(run, found.link);
  claimLink(deps, run.contactId, identity, link);
  if (!isOwnRecord(deps, found.customer)) deps.events.linkedToForeignRecord(found.how, state.thread, found.customer);
  return link;
}

function claimLink(deps: SyncDeps, contactId: string, identity: CustomerIdentity, link: Link): void {
  deps.recentLinks.claim([`ord:${link.ord}`, ...(identity.mobile ? [`mobile:${identity.mobile}`] : [])], contactId, {
    ord: link.ord,
    khid: link.khid,
  });
}

/**
 * Two threads of one new company (colleagues writing at the same time) or of one mobile
 * would each miss the other's record and create the customer twice: their look-up and
 * creation run one at a time per company name and per mobile, through the host's locks
 * (in one process, or on PostgreSQL across every process on the database).
 */
function oneAtATime<T>(deps: SyncDeps, identity: CustomerIdentity, draft: CustomerDraft, body: () => Promise<T>): Promise<T> {
  const keys: string[] = [];
  if (identity.mobile) keys.push(`mobile:${identity.mobile}`);
  if (draft.intsort === 1 && identity.company) keys.push(`company:${companyKey(identity.company)}`);
  return deps.identityLocks.withKeys(keys, body);
}

/** A company name as the colleague rule compares it (see sameCompanyName): folded, no spaces. */
function companyKey(name: string): string {
  return foldFullWidth(name).replace(/\s+/g, "").toLowerCase();
}

type Found = { link: Link; customer: ErpCustomer; how: "mobile" | "company" };

/**
 * The customer already in the ERP: by mobile, or a colleague's company. A
 * record another local conversation is linked to is not this one's: a person decides.
 */
async function findExisting(
  deps: SyncDeps,
  state: SyncState,
  identity: CustomerIdentity,
  draft: CustomerDraft,
): Promise<Found | undefined> {
  const unlinked = new Set(state.thread.unlinkedOrds ?? []);
  const colleagueRule = draft.intsort === 1 && identity.company !== undefined;
  // The company look-up is asked at the same time as the mobile one: both are reads a new
  // customer needs anyway, and the ERP's latency, not its load, is what a job waits for.
  const byCompany = colleagueRule && identity.mobile ? deps.erp.findByName(identity.company!) : undefined;
  // Answered after a mobile match, it is not awaited; its failure must not go unhandled.
  byCompany?.catch(() => undefined);
  if (identity.mobile) {
    const existing = (await deps.erp.findByMobile(identity.mobile)).find((c) => !unlinked.has(c.ord));
    if (existing) {
      await refuseRecordOfAnotherThread(deps, state, existing, identity.mobile);
      deps.events.duplicateAvoided("mobile", state.thread, existing);
      const link: Link = {
        ord: existing.ord,
        khid: existing.khid ?? "",
        linked: "mobile",
        createdNew: false,
        owners: existing.owners,
        public: existing.public,
      };
      return { link, customer: existing, how: "mobile" };
    }
  }
  if (colleagueRule) {
    const matches = await (byCompany ?? deps.erp.findByName(identity.company!));
    return linkToColleagueCompany(deps, state, identity, matches, unlinked);
  }
  return undefined;
}

/**
 * The record under this contact's own number, with its mobile or WeChat id, is this bot's
 * save for this contact (numbers are never reused; bots sharing an ERP have their own
 * prefixes). Saved by this job (a crash after save): link it. Saved by an earlier job that
 * stopped before writing the link (parked, then superseded by a staff /erp sync): finish
 * that creation (save again into its ord, then assign and follow up), never treat it as
 * someone else's customer, which would leave it unassigned.
 */
async function linkOurs(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  khid: string,
  ours: ErpCustomer,
  draft: CustomerDraft,
): Promise<Link> {
  if (run.checkpoint.allocatedOrd === ours.ord) return saveLink(run, { ord: ours.ord, khid, createdNew: true });
  await run.save({ allocatedOrd: ours.ord });
  return createCustomer(deps, run, state, undefined, khid, draft);
}

/**
 * The khid to use: the given one, unless the ERP holds it for someone else (then a new
 * number). Also returns the ERP record already holding it for this very customer, if any.
 * Asked for a number handed out before (a resumed job, an earlier attempt): a save of it
 * may already be in the ERP.
 */
async function conflictFreeKhid(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  identity: CustomerIdentity,
  first: string,
): Promise<{ khid: string; ours?: ErpCustomer }> {
  let khid = first;
  if (run.checkpoint.khid !== khid) await run.save({ khid });
  for (;;) {
    const holders = await deps.erp.findByKhid(khid);
    const ours = holders.find((c) => sameIdentity(c, identity));
    if (ours) return { khid, ours };
    const stranger = holders[0];
    if (!stranger) return { khid };
    khid = await renumberAfterConflict(deps, run, state, khid, stranger);
  }
}

/**
 * 客户编号冲突: `khid` is held by someone else's record, which is never overwritten or linked.
 * Counted and alerted; the customer gets the next number (checkpointed before it is used).
 */
async function renumberAfterConflict(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  khid: string,
  stranger: ErpCustomer,
): Promise<string> {
  deps.events.khidConflict(khid, state.thread, stranger);
  const conflicts = [...(run.checkpoint.conflicts ?? []), khid];
  if (conflicts.length >= MAX_KHID_CONFLICTS) {
    throw Object.assign(
      new Error(`khid ${khid} and the next numbers are held by other customers in the ERP; check erp.khidPrefix`),
      {
        retryable: false,
      },
    );
  }
  const next = await nextKhidAfterConflict(deps, run.contactId);
  await run.save({ khid: next, conflicts });
  return next;
}

/**
 * allocate → save → read back. A save the ERP refuses may be a khid someone took after our
 * floor probe: the holders of the number are looked up only then (one look-up on that rare
 * path instead of one before every save). Held by a stranger → renumbered and saved again
 * into the same ord; never saved over the stranger's record, which has its own ord.
 */
async function createCustomer(
  deps: SyncDeps,
  run: SyncJobRun,
  state: SyncState,
  identity: CustomerIdentity | undefined,
  first: string,
  draft: CustomerDraft,
): Promise<Link> {
  let ord = run.checkpoint.allocatedOrd;
  if (!ord) {
    ord = await deps.erp.allocateCustomerId(draft.intsort);
    await run.save({ allocatedOrd: ord });
  }
  let khid = first;
  for (;;) {
    try {
      await deps.erp.saveCustomer({ ...draft, ord, khid });
      break;
    } catch (error) {
      if (!(error instanceof ErpValidationError)) throw error;
      const holders = (await deps.erp.findByKhid(khid)).filter((c) => c.ord !== ord);
      const ours = identity ? holders.find((c) => sameIdentity(c, identity)) : undefined;
      if (ours) return linkOurs(deps, run, state, khid, ours, draft);
      const stranger = holders[0];
      // Refused for another reason (a field the ERP will not take): the job is parked with its words.
      if (!stranger) throw error;
      khid = await renumberAfterConflict(deps, run, state, khid, stranger);
    }
  }
  // A save answered "ok" is not proof (docs/zhibang-protocol.md §3.4): read it back.
  const stored = await deps.erp.getCustomer(ord);
  if (!stored || (stored.khid !== undefined && stored.khid !== khid)) {
    throw Object.assign(new Error(`the ERP answered ok to saving ${khid} but does not hold it (silent non-save); will retry`), {
      retryable: true,
    });
  }
  deps.events.activity("created", state.thread.id, `created ${khid} (ord ${ord})`, { ord, khid });
  return saveLink(run, { ord, khid, createdNew: true });
}

/**
 * Colleagues: a company customer whose company is already an ERP customer
 * (same name after trimming and folding) is added to it as a contact person, not created.
 */
async function linkToColleagueCompany(
  deps: SyncDeps,
  state: SyncState,
  identity: CustomerIdentity,
  companyMatches: readonly ErpCustomer[],
  unlinked: ReadonlySet<string>,
): Promise<Found | undefined> {
  const company = companyMatches.find((c) => !unlinked.has(c.ord));
  if (!company) return undefined;
  const mobile = identity.mobile!;
  const findPerson = async () =>
    (await deps.erp.listContactPeople(company.ord)).find((p) => p.mobile !== undefined && normalizeMobile(p.mobile) === mobile);
  // Adding a contact is not idempotent: look first, so a resumed job does not add it twice.
  let person = await findPerson();
  if (!person) {
    const input: { name: string; mobile: string; weixin?: string; email?: string } = { name: identity.name ?? mobile, mobile };
    if (identity.weixin) input.weixin = identity.weixin;
    if (identity.email) input.email = identity.email;
    await deps.erp.addContactPerson(company.ord, input);
    person = await findPerson();
  }
  deps.events.duplicateAvoided("company", state.thread, company);
  const link: Link = {
    ord: company.ord,
    khid: company.khid ?? "",
    linked: "company",
    createdNew: false,
    owners: company.owners,
    public: company.public,
  };
  if (person) link.personOrd = person.ord;
  return { link, customer: company, how: "company" };
}

/**
 * The link is durable before it is claimed and the identity lock is released: the next job with
 * this mobile or company then finds it on the thread (writeLink follows at once), not only as
 * a claim.
 */
async function saveLink(run: SyncJobRun, link: Link): Promise<Link> {
  await run.save({ link });
  await run.durable();
  return link;
}

/** The same person: the mobile or the WeChat id recorded in the ERP matches. */
export function sameIdentity(customer: ErpCustomer, identity: CustomerIdentity): boolean {
  const mobile = customer.mobile ? normalizeMobile(customer.mobile) : undefined;
  if (mobile && identity.mobile && mobile === identity.mobile) return true;
  return Boolean(customer.weixin && identity.weixin && customer.weixin === identity.weixin);
}
