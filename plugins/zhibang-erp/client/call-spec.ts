import type { ErpReply } from "./envelope.ts";

/**
 * What an operation asks the runner to do: one logical ERP call, described as data so
 * the runner can retry, re-login and report it the same way for every operation.
 */

/**
 * The `datas` of a zsml PostClass (docs/zhibang-protocol.md §2.2), as an ordered map; undefined values are
 * not sent.
 */
export type Datas = Record<string, string | number | undefined>;

interface CallCommon<T> {
  /** Short name for stats, audit and errors: login, allocate, save, detail, list, assign, followup… */
  operation: string;
  path: string;
  query?: Record<string, string | number>;
  /** Needs the session token (every call but login). Default true. */
  auth?: boolean;
  /** With `auth: false`: a token to send as is, with no re-login (logout). */
  session?: string;
  /**
   * Sending it twice cannot duplicate anything (reads, login, save with an ord, assign,
   * v3 edit). A call that is not repeatable is retried only when it provably never reached
   * the ERP (connection refused, or a session-expired reply).
   */
  repeatable: boolean;
  /** Changes ERP data: a failure that may have reached the ERP is marked `maybeApplied`. */
  write: boolean;
  /** Overrides the retry decision for a retryable failure (e.g. the login path probe). */
  retryWhen?: (error: unknown) => boolean;
  /** Skip the header.status / Code check: `interpret` reads failures itself (login). */
  rawStatus?: boolean;
  /** Turns a successful reply into the result, or throws (validation failure, wrong model). */
  interpret: (reply: ErpReply) => T;
}

export interface ZsmlCall<T> extends CallCommon<T> {
  family: "zsml";
  /** `cmdkey`: "refresh" for list data, "__sys_dosave" for saves, absent to load a form. */
  cmdkey?: string;
  datas: Datas;
}

export interface V3Call<T> extends CallCommon<T> {
  family: "v3";
  body: Record<string, unknown>;
}

export type CallSpec<T> = ZsmlCall<T> | V3Call<T>;

export function toDatas(datas: Datas): Array<{ id: string; val: string }> {
  const out: Array<{ id: string; val: string }> = [];
  for (const [id, val] of Object.entries(datas)) {
    if (val !== undefined) out.push({ id, val: String(val) });
  }
  return out;
}

export function pathWithQuery(path: string, query: Record<string, string | number> | undefined): string {
  if (!query || Object.keys(query).length === 0) return path;
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  return `${path}?${params.toString()}`;
}
