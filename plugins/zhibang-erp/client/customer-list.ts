import type { CallRunner } from "./call-runner.ts";
import type { Datas } from "./call-spec.ts";
import { asZsml } from "./envelope.ts";
import { CMD_REFRESH, ERP_PATHS } from "./paths.ts";
import { type ErpRecord, type ErpTable, readTable } from "./table.ts";
import type { CustomerSummary, ListOptions, ListResult } from "./types.ts";

/**
 * Paging over a zsml list page (docs/zhibang-protocol.md §5.4): `cmdkey "refresh"` (without it the
 * ERP sends only the list's UI), `pagesize`/`pageindex` (1-based) until `pageindex >=
 * pagecount`, an empty page, or (when the ERP gives no page count) a short page.
 */

/** A safety stop for servers that ignore `pageindex` and never report a page count. */
const MAX_PAGES_WITHOUT_COUNT = 1000;

export interface ListPageRequest {
  operation: string;
  path: string;
  query?: Record<string, string>;
  filters: Datas;
  options: ListOptions;
  defaultPageSize: number;
}

export async function listPages(runner: CallRunner, request: ListPageRequest): Promise<ListResult<ErpRecord>> {
  const pageSize = request.options.pageSize ?? request.defaultPageSize;
  const { maxPages, limit, sort } = request.options;
  const items: ErpRecord[] = [];
  const seenOrds = new Set<string>();
  let recordcount: number | undefined;
  let previousFirst: string | undefined;
  for (let pageindex = 1; ; pageindex++) {
    const table = await fetchPage(runner, request, { pagesize: pageSize, pageindex, _rpt_sort: sort });
    if (pageindex === 1) recordcount = table.page.recordcount;
    const first = table.records[0] ? JSON.stringify(table.records[0]) : undefined;
    // A server that ignores pageindex sends page 1 again: stop rather than loop.
    if (pageindex > 1 && first !== undefined && first === previousFirst) return { items, recordcount, pagesRead: pageindex - 1 };
    previousFirst = first;
    for (const record of table.records) {
      // Rows can shift between pages while customers are added; keep each ord once.
      if (record.ord) {
        if (seenOrds.has(record.ord)) continue;
        seenOrds.add(record.ord);
      }
      items.push(record);
    }
    if (limit !== undefined && items.length >= limit) return { items: items.slice(0, limit), recordcount, pagesRead: pageindex };
    if (isLastPage(table, pageindex, pageSize) || (maxPages !== undefined && pageindex >= maxPages)) {
      return { items, recordcount, pagesRead: pageindex };
    }
  }
}

function isLastPage(table: ErpTable, pageindex: number, requestedSize: number): boolean {
  if (table.records.length === 0) return true;
  const { pagecount, pagesize } = table.page;
  // The page count wins over a short page: a server may cap pagesize below what we asked.
  if (pagecount !== undefined) return pageindex >= pagecount;
  return table.records.length < (pagesize ?? requestedSize) || pageindex >= MAX_PAGES_WITHOUT_COUNT;
}

function fetchPage(runner: CallRunner, request: ListPageRequest, paging: Datas): Promise<ErpTable> {
  return runner.run({
    family: "zsml",
    operation: request.operation,
    path: request.path,
    ...(request.query ? { query: request.query } : {}),
    cmdkey: CMD_REFRESH,
    datas: { ...request.filters, ...paging },
    repeatable: true,
    write: false,
    interpret: (reply) => readTable(asZsml(reply, request.operation), request.operation),
  });
}

/**
 * Customers matching `filters` (docs/zhibang-protocol.md §5.4 filter ids: ly, khid, name, phone, searchKey…),
 * zipped by column id.
 */
export async function listCustomers(
  runner: CallRunner,
  filters: Datas,
  options: ListOptions,
  defaultPageSize: number,
): Promise<ListResult<CustomerSummary>> {
  const result = await listPages(runner, { operation: "list", path: ERP_PATHS.customerList, filters, options, defaultPageSize });
  return { ...result, items: result.items.map(toCustomerSummary) };
}

/**
 * The default list columns (WX-DATA, docs/zhibang-protocol.md §5.4): name, catename, personname, mobile,
 * telintro, ord…
 */
export function toCustomerSummary(record: ErpRecord): CustomerSummary {
  return {
    ord: record.ord ?? "",
    name: record.name ?? "",
    owner: record.catename ?? "",
    personName: record.personname ?? record.person_name ?? "",
    mobile: record.mobile ?? "",
    phone: record.phone ?? "",
    latestFollowup: record.telintro ?? "",
    record,
  };
}
