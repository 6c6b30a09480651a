/**
 * The thread store's data model and interface (docs/architecture.md §1.3). Everything outside
 * `src/store/` talks to the `ThreadStore` interface only: a later PostgreSQL store must
 * be a drop-in, so nothing here assumes files or a single process.
 */

/** Who wrote a message in a thread: the customer, or the salesperson (the bot's own account). */
export type Side = "customer" | "sales";

export interface ThreadMessage {
  /** The puppet's message id (replay: derived from contact, time and text). */
  id: string;
  side: Side;
  /** Text as stored: bounded, control characters removed; non-text as a placeholder like "[图片]". */
  text: string;
  /** ISO time the message was sent (WeChat's timestamp, not when we saw it). */
  at: string;
  /** The message came in the login backlog: history, never run as a command. */
  backlog?: boolean;
  /** Set for messages read in a listed group chat. */
  roomId?: string;
  /**
   * What kind of content this is when it is not words typed in the chat: a friend request's
   * greeting (the customer's own words), a forwarded 名片 (someone's card, never the
   * customer's own details), a photo of the customer's own business card as read by the
   * vision model (`scorer.vision`; src/intake/card-photo-text.ts) or media shown as a
   * placeholder like "[图片]".
   */
  kind?: MessageKind;
  /**
   * A 引用 reply: the message it quoted, kept apart from `text`. Quoted words are often the
   * salesperson's own ("my mobile is …"), so nothing is ever extracted from them.
   */
  quoted?: QuotedMessage;
  /** The writer recalled (撤回) it: kept for the record, left out of scoring and extraction. */
  recalled?: boolean;
}

export type MessageKind = "greeting" | "card" | "card-photo" | "media";

export interface QuotedMessage {
  /** The display name WeChat shows for the quoted message's writer. */
  name: string;
  text: string;
}

/**
 * Where a mobile number came from; decides the admission check `phone_verified`. `remark` is the number the
 * salesperson keeps in the contact's remark (WeChat's `contact.phone()`); `wechat` is how
 * older data files name it.
 */
export type MobileSource = "remark" | "wechat" | "customer" | "sales" | "staff" | "llm";

export interface MobileField {
  value: string;
  source: MobileSource;
  /** The customer typed it, or the salesperson confirmed it (`/erp verify`, the contact's remark). */
  verified: boolean;
  at: string;
}

export interface ExtractedFields {
  name?: string;
  company?: string;
  mobile?: MobileField;
  email?: string;
  address?: string;
  type?: "company" | "personal";
}

export interface ScoreRecord {
  at: string;
  score: number;
  provider: "heuristic" | "openai";
  /** Why the heuristic scorer was used instead of the LLM (timeout, invalid output...). */
  fallback?: string;
  reasons: string[];
}

/** The ERP side of a thread, written by the ERP plugin. */
export interface ErpLink {
  ord: string;
  khid: string;
  /** ERP user ids owning the customer; empty = public pool. */
  owners?: string[];
  public?: boolean;
  /** The customer existed in the ERP and was linked rather than created. */
  linked?: "khid" | "mobile" | "company";
  /** For a colleague linked to an existing company: the ERP contact (person) id. */
  personOrd?: string;
  jz?: number;
  /**
   * When wxerp first created or linked this customer (conversation time of that sync), with
   * the score it had then and the tier that score gave: what `wxerp report calibration`
   * compares with the customer's later 跟进程度. Absent in data written before it was kept.
   */
  linkedAt?: string;
  linkScore?: number;
  linkTier?: string;
  lastSyncAt?: string;
  lastFollowupAt?: string;
  /** `messageCount` at the last follow-up (older data; see followupContentCount). */
  followupMessageCount?: number;
  /** `customerContentCount` at the last follow-up: new content exists when it grew. */
  followupContentCount?: number;
  followups?: number;
  /** The summary last written to the customer record (to update only on change). */
  syncedSummary?: string;
}

export interface AdmissionResult {
  passed: boolean;
  /** Failed check names, in the order of docs/architecture.md §3.6. */
  failed: string[];
  checks: Record<string, boolean>;
  at: string;
  /** Staff overrode `score_pass` with `/erp sync` (audited). */
  overriddenBy?: string;
}

export interface Contact {
  /** The WeChat contact id (wxid); the thread key for 1:1 chats. */
  id: string;
  name: string;
  alias?: string;
  weixin?: string;
  /** The mobile in the contact's remark (`contact.phone()`): the salesperson's own confirmation. */
  wechatPhone?: string;
  /** When wxerp saw this contact's friend request or its acceptance (the `addedAfter` scope). */
  addedAt?: string;
  /** Local customer number, assigned once and never reused (khid = prefix + number). */
  localNo?: number;
  firstSeenAt: string;
}

export interface Thread {
  /** Equals the customer's contact id (another account than the first: `<account>:<contact id>`). */
  id: string;
  contactId: string;
  /** The id of the WeChat account this conversation is on; absent: the first (default) account. */
  account?: string;
  /** Bounded: the newest `wechat.historyPerThread` messages. */
  messages: ThreadMessage[];
  /** All messages ever appended (including those dropped from `messages`). */
  messageCount: number;
  /** Messages appended since the last scoring. */
  unscored: number;
  /**
   * Customer messages with something to read (words, a greeting, a 名片; not media
   * placeholders, not the salesperson's side): follow-ups are written when it grows.
   * Absent in older data, where `messageCount` stands in for it.
   */
  customerContentCount?: number;
  /** How the customer found the salesperson, from their friend request. */
  friendRequest?: FriendRequestInfo;
  lastMessageAt?: string;
  /** Rolling summary covering the whole conversation. */
  summary: string;
  reasons: string[];
  score?: number;
  scoredAt?: string;
  /** Bounded history of scores (trend on the dashboard). */
  scores: ScoreRecord[];
  extracted: ExtractedFields;
  admission?: AdmissionResult;
  erp?: ErpLink;
  /** ERP records staff unlinked from this customer (`/erp unlink`): never linked to it again automatically. */
  unlinkedOrds?: string[];
  /** ERP sync state as users see it. */
  syncState?: "none" | "skipped" | "pending" | "synced" | "failed";
  lastError?: string;
}

export interface FriendRequestInfo {
  at: string;
  /** WeChat's scene number: 3 WeChat id search, 14 group chat, 15 phone search, 17 名片, 30 QR code… */
  scene?: number;
  /** Who shared the card or the group, where the puppet reports it. */
  referrer?: { id?: string; name?: string };
}

export interface ThreadFilter {
  /** Only threads whose sync state is one of these. */
  syncStates?: Array<NonNullable<Thread["syncState"]>>;
  limit?: number;
}

export interface ThreadStore {
  /** Loads the store; a corrupted file rejects with a StoreCorruptError (the file is kept). */
  open(): Promise<void>;
  getContact(id: string): Promise<Contact | undefined>;
  /** Creates or merges a contact (never changes `localNo` once set). */
  upsertContact(contact: Pick<Contact, "id" | "name"> & Partial<Contact>): Promise<Contact>;
  /** Assigns the contact's local customer number once (idempotent); never reuses a number. */
  assignLocalNo(contactId: string, atLeast?: number): Promise<number>;
  /** Gives the contact a new number after a khid conflict (the old one stays burnt). */
  reassignLocalNo(contactId: string, atLeast?: number): Promise<number>;
  getThread(id: string): Promise<Thread | undefined>;
  /** Applies `change` to the thread (created empty if missing) and returns the result. */
  updateThread(id: string, change: (thread: Thread) => void): Promise<Thread>;
  listThreads(filter?: ThreadFilter): Promise<Thread[]>;
  /** Finds a thread by contact name, alias, khid, mobile or id (for `who` in commands). */
  findThreads(who: string): Promise<Thread[]>;
  /**
   * Threads holding this mobile (any way it is written): as their extracted mobile, or as their
   * contact's remark number (`wechatPhone`). Newest first. Indexed: every sync job asks it.
   */
  threadsWithMobile(mobile: string): Promise<Thread[]>;
  /** Threads linked to the ERP record `ord` (`erp.ord`). Newest first. Indexed: every sync job asks it. */
  threadsLinkedTo(ord: string): Promise<Thread[]>;
  /** true the first time an id is seen; persisted and bounded (dedupe across restarts). */
  markMessageSeen(messageId: string): Promise<boolean>;
  /** Whether `markMessageSeen` was called for this id (and it is still remembered). */
  hasSeenMessage(messageId: string): Promise<boolean>;
  /** Small persisted values (round-robin counters, last login...). */
  getValue<T>(key: string): Promise<T | undefined>;
  setValue<T>(key: string, value: T): Promise<void>;
  /**
   * Makes the thread and its contact, as they are now, durable. Whatever an outbox job reads
   * or produces is flushed this way before the job itself is recorded, so no kill can leave a
   * job on disk that depends on a thread that is not (or a finished job whose thread is behind).
   */
  flushThread(id: string): Promise<void>;
  /** Writes everything pending to durable storage. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class StoreCorruptError extends Error {
  override readonly name = "StoreCorruptError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      `the data file ${file} is corrupted (${detail}). It was left untouched; restore it from a backup or move it away to start empty.`,
    );
  }
}
