/**
 * Public types of the 智邦 ERP emulator. These names are a contract shared with the ERP
 * client's integration tests and the soak bench; keep them stable.
 */
import type { EmulatorState } from "./state.ts";

export const EMULATOR_DEFAULT_CREDENTIALS = { username: "wxerp", password: "wxerp123" } as const;

export const FAILURE_KINDS = ["http500", "html", "reset", "hang", "truncated"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface EmulatorFaults {
  /** Every call waits latencyMs + random(0..jitterMs) before it is handled. */
  latencyMs: number;
  jitterMs: number;
  /** 0..1 share of calls that fail (login only when applyFailuresToLogin). */
  failureRate: number;
  /** Chosen uniformly among these. */
  failureKinds: FailureKind[];
  /** "after": the operation IS applied, then the reply is lost or broken (a lost response). */
  failurePhase: "before" | "after" | "random";
  /** How long a "hang" holds the socket before destroying it. */
  hangMs: number;
  /** 0..1 share of customer saves answered with success but storing nothing. */
  silentNonSaveRate: number;
  /** Sliding idle timeout of a session (also sent as InitInfoClass.ratebit). */
  sessionTtlSeconds: number;
  /** 0 = off; otherwise every session is invalidated at each boundary of this period. */
  sessionExpireEverySeconds: number;
  /**
   * 0 = off; otherwise a session serves this many calls and the next one finds it timed out.
   * Counts calls, not seconds, so a test sees re-logins however fast or loaded the machine is.
   */
  sessionExpireEveryCalls: number;
  /** header.status sent as "0"/"1" strings instead of numbers. */
  statusAsString: boolean;
  /** Raw control characters inside string values of replies (docs/zhibang-protocol.md §2.1). */
  controlChars: boolean;
  /** List rows as {value:[...], ord} objects (docs/zhibang-protocol.md §3.6). */
  rowsAsObjects: boolean;
  /** body.message.text of a successful save (the real text is UNKNOWN, docs/zhibang-protocol.md §3.4). */
  successText: string;
  applyFailuresToLogin: boolean;
  /**
   * Serve `systemmanage/replylist.asp` (a customer's follow-ups). The page exists on 智邦 servers
   * but is undocumented; false answers 404 like a server without it (the client then falls back
   * to the customer list's latest follow-up).
   */
  followupList: boolean;
  /**
   * Refuse a save or v3 edit whose khid another customer holds (客户编号已被使用). Whether the real
   * ERP does is unknown; false stores a second customer under the same number, as an ERP without
   * a unique key on 客户编号 would (wxerp's conflict scan then has to find it).
   */
  khidUnique: boolean;
}

export const DEFAULT_FAULTS: Readonly<EmulatorFaults> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  failureRate: 0,
  failureKinds: [...FAILURE_KINDS],
  failurePhase: "random",
  hangMs: 120_000,
  silentNonSaveRate: 0,
  sessionTtlSeconds: 3600,
  sessionExpireEverySeconds: 0,
  sessionExpireEveryCalls: 0,
  statusAsString: false,
  controlChars: false,
  rowsAsObjects: false,
  successText: "保存成功",
  applyFailuresToLogin: false,
  followupList: true,
  khidUnique: true,
});

export interface EmulatorCredentials {
  username: string;
  password: string;
}

export interface EmulatorOptions extends Partial<EmulatorFaults> {
  /** Keep the database in this JSON file across restarts (the embedded ERP of `npm start`). */
  stateFile?: string;
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** Default true: demo users' customers, contacts and follow-ups. */
  seedDemo?: boolean;
  /**
   * Planned 跟进程度 moves, khid → stage id or name (e.g. { WX000001: "重点客户" }): a customer
   * saved with that khid lands at that stage, one already there moves at start. For demos and
   * tests of the calibration report; POST /__emulator/stage moves customers while it runs.
   */
  stages?: Record<string, string>;
  credentials?: EmulatorCredentials;
  /** Seedable randomness for tests (faults, jitter, captcha codes). */
  random?: () => number;
  /** Clock in epoch milliseconds; tests pass a fake one to expire sessions without waiting. */
  now?: () => number;
  /**
   * Test hook: called after a call was handled (its change, if any, is in the state) and
   * before the reply is sent. A returned promise holds the reply until it settles, so a
   * test can kill the client process between "the ERP applied it" and "the client heard".
   * Not called for inspection endpoints or calls failed by a "before" fault.
   */
  onApplied?: (call: AppliedCall) => void | Promise<void>;
}

/** What `onApplied` is told about a handled call. */
export interface AppliedCall {
  operation: CallCategory | "unknown";
  /** Lower-case path, e.g. /sysa/mobilephone/salesmanage/custom/add.asp. */
  path: string;
  /** The posted datas and query parameters (lower-case keys). */
  fields: Record<string, string>;
  /** The reply is a success (zsml header.status 0 with a body, or v3 Code 200); a refused save still counts (model "message"). */
  ok: boolean;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** In-process access to the same data the inspection endpoint returns. */
  state: EmulatorState;
  snapshot(): EmulatorSnapshot;
  setFaults(partial: Partial<EmulatorFaults>): void;
  expireAllSessions(): void;
  currentCaptcha(username: string): string | undefined;
  /** Moves a customer (khid or ord) to a 跟进程度 of its category, like POST /__emulator/stage. */
  moveStage(ref: string, stage: string): { ord: string; khid: string; from: string; to: { id: string; text: string } };
  /** Forgets failed logins (of one username, or all), so no captcha is due; the data stays. */
  unlockLogins(username?: string): string[];
  /** Stops listening and ends every open socket, hanging ones included. */
  close(): Promise<void>;
}

export const CALL_CATEGORIES = [
  "login",
  "logout",
  "allocate",
  "save",
  "detail",
  "list",
  "assign",
  "followup",
  "followup_list",
  "contact_add",
  "contact_list",
  "contact_detail",
  "v3_edit",
  "v3_add",
  "enum",
  "gate_list",
  "unknown",
] as const;
export type CallCategory = (typeof CALL_CATEGORIES)[number];
export type CallCounts = Record<CallCategory | "total", number>;

export interface CustomerSnapshot {
  ord: string;
  khid: string;
  name: string;
  intsort: number;
  ly: string;
  jz: string;
  sort1: string;
  person_name: string;
  mobile: string;
  weixinAcc: string;
  email: string;
  address: string;
  intro: string;
  /** User ids (gate ord). */
  owners: string[];
  public: boolean;
  createdAt: string;
  updatedAt: string;
  /** The latest follow-up text. */
  telintro: string;
  /** Every other stored form field (phone, bank_3, faren, ...). */
  fields: Record<string, string>;
}

export interface AssignmentRecord {
  ord: string;
  member1: string;
  member2: string;
  at: string;
}

export interface FollowupRecord {
  ord: string;
  intro: string;
  sort: string;
  plantype: string;
  at: string;
}

export interface ContactSnapshot {
  ord: string;
  company: string;
  person_name: string;
  mobile: string;
  phone: string;
  job: string;
  email: string;
  weixinAcc: string;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, string>;
}

export interface UserSnapshot {
  id: string;
  name: string;
  department: string;
  username: string;
}

export interface EmulatorSnapshot {
  customers: CustomerSnapshot[];
  assignments: AssignmentRecord[];
  followups: FollowupRecord[];
  contacts: ContactSnapshot[];
  users: UserSnapshot[];
  calls: CallCounts;
  failuresInjected: number;
  /** The same, by kind (http500, html, reset, hang, truncated). */
  failuresByKind: Record<FailureKind, number>;
  silentNonSaves: number;
  sessionExpiries: number;
  allocatedOrds: number;
  /** The most API requests the emulator was answering at one moment. */
  peakConcurrentCalls: number;
  /** username → the captcha code a login must send now (after more than 3 failures). */
  captchas: Record<string, string>;
  faults: EmulatorFaults;
}
