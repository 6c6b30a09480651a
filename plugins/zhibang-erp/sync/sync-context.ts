import type { AppConfig, Contact, PluginHost, Thread, ThreadStore } from "../../../src/plugin-api.ts";
import type { AssignTarget, ErpCustomer, ErpPort } from "./erp-port.ts";
import type { RecentLinks } from "./link-guard.ts";

/**
 * Durable progress of one sync job (stored in the outbox job's checkpoint). Each ERP write
 * is recorded here before and after it happens (what comes before is durable before the
 * write is sent), so a job resumed after a crash knows which writes may already be in the
 * ERP and checks before repeating them.
 */
export interface SyncCheckpoint {
  khid?: string;
  /** The ord reserved by "allocate"; a resumed job saves into the same ord. */
  allocatedOrd?: string;
  /** The ERP record this thread is linked to, written here before the store. */
  link?: {
    ord: string;
    khid: string;
    linked?: "khid" | "mobile" | "company";
    personOrd?: string;
    createdNew: boolean;
    /** Ownership of a customer found in the ERP (shown and kept; never taken away). */
    owners?: string[];
    public?: boolean;
  };
  assignTarget?: AssignTarget;
  assignDone?: boolean;
  editDone?: boolean;
  /** The follow-up's text with its reference, saved before it is posted. */
  followupIntro?: string;
  /** Its number on the thread, saved with the text (a resumed job records this one, not a recount). */
  followupSequence?: number;
  followupDone?: boolean;
  conflicts?: string[];
}

/** Things that happened during a sync that other parts count, alert on or show. */
export interface SyncEvents {
  duplicateAvoided(how: "khid" | "mobile" | "company", thread: Thread, customer: ErpCustomer): void;
  khidConflict(khid: string, thread: Thread, customer: ErpCustomer): void;
  /** The thread's mobile already belongs to another conversation in the ERP: not linked, a person decides. */
  mobileTaken(thread: Thread, mobile: string, holder: Thread): void;
  /** Linked to a record people keyed in (not one wxerp created): staff may undo it with `/erp unlink`. */
  linkedToForeignRecord(how: "mobile" | "company", thread: Thread, customer: ErpCustomer): void;
  /**
   * The conversation's account (a salesperson of a team) found its customer owned by another
   * salesperson: it is not taken away; this conversation's follow-ups go to that customer.
   */
  ownedByColleague(thread: Thread, customer: { ord: string; khid: string; owners: string[] }): void;
  decision(operation: string, contactId: string, detail: Record<string, unknown>): void;
  activity(kind: string, contactId: string, text: string, data?: Record<string, unknown>): void;
}

export interface SyncDeps {
  store: ThreadStore;
  erp: ErpPort;
  config: AppConfig;
  events: SyncEvents;
  /** Serialises look-up-then-create per company name and per mobile (create-or-link.ts). */
  /** The host's locks: customer look-up and creation one at a time per mobile and company. */
  identityLocks: PluginHost["locks"];
  /** Links decided here that their threads may not have recorded yet (link-guard.ts). */
  recentLinks: RecentLinks;
}

export interface SyncJobRun {
  contactId: string;
  checkpoint: SyncCheckpoint;
  /**
   * Merges a patch into `checkpoint`. It reaches the outbox before the job's next ERP write
   * (the job's `deps.erp` waits for it, checkpointed-port.ts) or at `durable()`.
   */
  save(patch: Partial<SyncCheckpoint>): Promise<void>;
  /** Makes every saved patch durable now (before the thread store records what depends on it). */
  durable(): Promise<void>;
  /** Conversation time of this sync (follow-up rate limit, audit). */
  now: Date;
  actor: string;
}

export interface SyncState {
  thread: Thread;
  contact: Contact | undefined;
}

export type SyncOutcome =
  | { status: "created"; ord: string; khid: string }
  | { status: "updated"; ord: string; khid: string; linked?: "khid" | "mobile" | "company" }
  | { status: "unchanged"; ord: string; khid: string }
  | { status: "skipped"; failed: string[] };
