import { normalizeMobile } from "../privacy/mobile.ts";
import type { Contact, Thread, ThreadFilter } from "./types.ts";

/** Newest conversation first; threads without messages last, then by id for a stable order. */
export function byRecentActivity(a: Thread, b: Thread): number {
  const at = a.lastMessageAt ?? "";
  const bt = b.lastMessageAt ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function listThreads(threads: Iterable<Thread>, filter: ThreadFilter = {}): Thread[] {
  const states = filter.syncStates ? new Set(filter.syncStates) : undefined;
  const out: Thread[] = [];
  for (const thread of threads) {
    if (states && !states.has(thread.syncState ?? "none")) continue;
    out.push(thread);
  }
  out.sort(byRecentActivity);
  return filter.limit !== undefined ? out.slice(0, Math.max(0, filter.limit)) : out;
}

/**
 * `who` as staff type it in a command: an exact contact id, khid, mobile, alias
 * or name first; only when nothing matches exactly, a case-insensitive part of a name or alias.
 */
export function findThreads(threads: Iterable<Thread>, contactOf: (id: string) => Contact | undefined, who: string): Thread[] {
  const query = who.trim();
  if (query === "") return [];
  const mobile = normalizeMobile(query);
  const lower = query.toLowerCase();
  const exact: Thread[] = [];
  const partial: Thread[] = [];
  for (const thread of threads) {
    const contact = contactOf(thread.contactId);
    const names = [contact?.name, contact?.alias].filter((n): n is string => typeof n === "string" && n !== "");
    const isExact =
      thread.id === query ||
      thread.contactId === query ||
      (thread.erp?.khid !== undefined && thread.erp.khid.toLowerCase() === lower) ||
      (mobile !== undefined && (thread.extracted.mobile?.value === mobile || contact?.wechatPhone === mobile)) ||
      names.includes(query);
    if (isExact) exact.push(thread);
    else if (exact.length === 0 && names.some((name) => name.toLowerCase().includes(lower))) partial.push(thread);
  }
  return (exact.length > 0 ? exact : partial).sort(byRecentActivity);
}
