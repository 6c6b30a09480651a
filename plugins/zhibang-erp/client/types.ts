import type { Logger } from "../../../src/plugin-api.ts";
import type { ErpRecord } from "./table.ts";

/** One HTTP attempt, for the audit log and metrics. */
export interface ErpCallEvent {
  operation: string;
  /** Path without the base URL, with its query (e.g. `…/custom/add.asp?intsort=1`). */
  path: string;
  /** The body as sent (datas unmasked: the audit writer masks). */
  request: unknown;
  /** A parsed summary of the reply, or `{excerpt}` when it could not be read. */
  response: unknown;
  outcome: "ok" | "error";
  errorName?: string;
  errorMessage?: string;
  httpStatus?: number;
  durationMs: number;
  /** 1 for the first try of a call, 2+ for retries (a post-re-login retry counts too). */
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
}

/** A failed attempt that will be tried again: what a person waiting at a terminal wants to see. */
export interface ErpRetryProgress {
  operation: string;
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** Attempts this call may make in all (`retries` + 1). */
  attempts: number;
  /** What went wrong, in a few words ("timeout", "connection reset", "HTTP 502"); masked. */
  reason: string;
}

export interface ErpStats {
  /** HTTP attempts, retries included. */
  calls: number;
  /** Attempts beyond the first of each call. */
  retries: number;
  /** Successful logins (the first one and every re-login). */
  logins: number;
  /** Logins caused by an expired session. */
  relogins: number;
  byOperation: Record<string, { calls: number; errors: number; retries: number }>;
}

export interface ErpClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Device serial sent at login; keep it stable (docs/zhibang-protocol.md §4.1, §4.3). */
  serialnum?: string;
  /** Deadline per HTTP attempt. */
  timeoutMs?: number;
  /** Retries after the first attempt, for failures where repeating is safe. */
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Rows per list page. */
  pageSize?: number;
  logger?: Logger;
  onCall?: (event: ErpCallEvent) => void;
  /** Called before each retry, so a command line can say "timeout, retry 2/4" instead of going quiet. */
  onRetry?: (progress: ErpRetryProgress) => void;
}

/** What the ERP said at login. */
export interface ErpLoginInfo {
  /** The path that worked (`/webapi/v3/ov1/login` or the mobile fallback). */
  path: string;
  /** `sys.info.ratebit`: the session timeout in seconds, when the ERP tells it (docs/zhibang-protocol.md §3.7). */
  sessionTimeoutSeconds?: number;
  appVersion?: string;
}

/** 1 = company customer (单位客户), 2 = personal customer (个人客户). */
export type CustomerKind = 1 | 2;

/** A customer to save (docs/zhibang-protocol.md §5.2). Values are sent as text. */
export interface CustomerInput {
  intsort: CustomerKind;
  /** The ord from allocateCustomerId (new) or an existing customer's ord (update = whole-form save). */
  ord?: string;
  name: string;
  khid?: string;
  /** "<客户分类 id>,<跟进程度 id>", e.g. "17,146" (docs/zhibang-protocol.md §5.2). */
  sort1: string;
  /** 客户来源 id (171 = 网站注册). */
  ly?: number | string;
  /** 价值评估 id (175 很高 … 290 很低). */
  jz?: number | string;
  trade?: number | string;
  area?: string;
  /** Contact person (company customers only; required there). */
  personName?: string;
  mobile?: string;
  phone?: string;
  email?: string;
  weixinAcc?: string;
  qq?: string;
  address?: string;
  /** 备注: the conversation summary. */
  intro?: string;
  /** 法人代表 (company) or 所在单位 (personal). */
  faren?: string;
  job?: string;
  sex?: "男" | "女";
  /** Any other field by its ERP id (e.g. `zdy1`, `product`). */
  extra?: Record<string, string | number>;
}

/** A customer as the detail form (BillClass) shows it. */
export interface CustomerDetail {
  ord: string;
  name: string;
  khid: string;
  mobile: string;
  personName: string;
  phone: string;
  email: string;
  ly: string;
  jz: string;
  sort1: string;
  intro: string;
  /** Every field by its ERP id (value if non-empty, else text). */
  fields: Record<string, string>;
}

/** A customer list row (docs/zhibang-protocol.md §5.4), read by column id. */
export interface CustomerSummary {
  ord: string;
  name: string;
  /** 销售人员 (catename): the owner's name; "" when public or unassigned. */
  owner: string;
  personName: string;
  mobile: string;
  phone: string;
  /** telintro: the latest 洽谈进展 text. */
  latestFollowup: string;
  /** The whole row by column id. */
  record: ErpRecord;
}

export interface ListOptions {
  pageSize?: number;
  /** Stop after this many pages (default: all). */
  maxPages?: number;
  /** Stop once this many records are collected. */
  limit?: number;
  /** `_rpt_sort`: a column id, "-" for descending; "-1" = newest first (V-DEMO). */
  sort?: string;
}

export interface ListResult<T> {
  items: T[];
  /** `page.recordcount` as the ERP reported it on the first page. */
  recordcount: number | undefined;
  pagesRead: number;
}

export type AssignTarget = { mode: "users"; users: string[] } | { mode: "public" };

export interface FollowupInput {
  /** The follow-up text (洽谈进展), at most 1000 characters (docs/zhibang-protocol.md §5.6). */
  intro: string;
  /** 跟进方式: 484 其他, 483 上门, 482 邮件, 481 电话. */
  sort?: number;
  /** 日程类型: 0 = no schedule. */
  plantype?: number;
  /** 关联联系人 id (0 = none). */
  lead?: string;
}

/** A contact person (联系人, docs/zhibang-protocol.md §5.8). */
export interface ContactInput {
  personName: string;
  mobile?: string;
  phone?: string;
  email?: string;
  weixinAcc?: string;
  qq?: string;
  job?: string;
  part1?: string;
  sex?: "男" | "女";
  intro?: string;
  extra?: Record<string, string | number>;
}

export interface CreatedCustomer {
  ord: string;
  khid: string;
  detail: CustomerDetail;
}
