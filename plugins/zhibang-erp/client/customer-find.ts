import pMap from "p-map";
import { foldFullWidth, maskText, normalizeMobile } from "../../../src/plugin-api.ts";
import type { CallRunner } from "./call-runner.ts";
import { getCustomer } from "./customer-form.ts";
import { listCustomers } from "./customer-list.ts";
import type { CustomerDetail, CustomerSummary } from "./types.ts";

/**
 * Dedupe lookups (docs/architecture.md §3.7). The list filters are fuzzy (`khid=WX000001` also finds
 * WX0000010) and a server may ignore a filter it does not know, so every candidate is
 * compared exactly here; the filter only narrows what we have to read.
 */

const DETAIL_READS_IN_FLIGHT = 4;

export interface FindContext {
  runner: CallRunner;
  pageSize: number;
}

/**
 * Customers whose 客户编号 is `khid`, compared as the ERP's database does: case-insensitively
 * (SQL Server's usual collation), so a wx000001 someone keyed in holds WX000001 too. The list
 * has no khid column, so each candidate's detail is read.
 */
export async function findByKhid(context: FindContext, khid: string): Promise<CustomerDetail[]> {
  const wanted = khid.trim();
  if (wanted === "") return [];
  const listed = await listCustomers(context.runner, { khid: wanted }, {}, context.pageSize);
  // Some installs may show a khid column: then it narrows exactly before any detail read.
  const candidates = listed.items.filter((c) => c.record.khid === undefined || sameKhid(c.record.khid, wanted));
  const details = await pMap(candidates, (c) => getCustomer(context.runner, c.ord), { concurrency: DETAIL_READS_IN_FLIGHT });
  return details.filter((d): d is CustomerDetail => d !== undefined && sameKhid(d.khid, wanted));
}

/** The same customer number to the ERP: equal after trimming, ignoring case. */
export function sameKhid(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/**
 * Customers whose mobile (or phone column) is exactly this mobile after normalising.
 * `searchKey` matches every text column (docs/zhibang-protocol.md §5.4); `phone` is asked separately when that finds
 * nothing, since a server may AND the two filters.
 */
export async function findByMobile(context: FindContext, mobile: string): Promise<CustomerSummary[]> {
  const wanted = normalizeMobile(mobile);
  if (wanted === undefined) throw new RangeError(`findByMobile: "${maskText(mobile)}" is not a mainland mobile number`);
  const matches = (items: CustomerSummary[]) =>
    items.filter((c) => normalizeMobile(c.mobile) === wanted || normalizeMobile(c.phone) === wanted);
  const bySearchKey = await listCustomers(context.runner, { searchKey: wanted }, {}, context.pageSize);
  const found = matches(bySearchKey.items);
  // searchKey matches every text column (docs/zhibang-protocol.md §5.4), and the default layout has both mobile and
  // phone: an empty answer or rows carrying those columns are the whole answer. Only a
  // layout without them (another list mode) needs the narrower phone filter.
  const layoutHasNumbers = (c: CustomerSummary) => "mobile" in c.record || "phone" in c.record;
  if (found.length > 0 || bySearchKey.items.length === 0 || bySearchKey.items.some(layoutHasNumbers)) return found;
  const byPhone = await listCustomers(context.runner, { phone: wanted }, {}, context.pageSize);
  return matches(byPhone.items);
}

/**
 * Customers whose name equals `name` after trimming and folding full-width characters
 * (the colleague rule). The ERP's filter is not folded, so both spellings are asked.
 */
export async function findByName(context: FindContext, name: string): Promise<CustomerSummary[]> {
  const wanted = foldName(name);
  if (wanted === "") return [];
  const spellings = [...new Set([name.trim(), wanted])];
  const found = new Map<string, CustomerSummary>();
  for (const spelling of spellings) {
    const listed = await listCustomers(context.runner, { name: spelling }, {}, context.pageSize);
    for (const c of listed.items) if (foldName(c.name) === wanted && !found.has(c.ord)) found.set(c.ord, c);
  }
  return [...found.values()];
}

/** `（上海）明达 ` and `(上海)明达` are the same company name. */
export function foldName(name: string): string {
  return foldFullWidth(name).trim();
}
