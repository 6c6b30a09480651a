import { param, type ZbRequest } from "../body-parser.ts";

/**
 * Shared list plumbing for the SourceClass table (docs/zhibang-protocol.md §3.6, §5.4): columns, row
 * search, sorting by `_rpt_sort` and 1-based paging.
 */

export interface Column {
  id: string;
  dbtype: "varchar" | "int" | "datetime";
}

export interface ListItem {
  /** Column id → value; every value is a string, as on a live server (WX-DATA). */
  cells: Record<string, string>;
  /** For "-1" / date1 sorting. */
  createdAt: number;
  /** Tie-break, newest ids last. */
  id: number;
}

export const DEFAULT_PAGE_SIZE = 20;

export function includesFolded(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/** A comma-separated multi-select filter value ("171,172") as a set of ids. */
export function idSet(text: string): Set<string> {
  return new Set(
    text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== ""),
  );
}

/** searchKey: matches any returned column (docs/zhibang-protocol.md §5.4 "对返回列表中所有文本列进行匹配筛选"). */
export function matchesSearchKey(item: ListItem, columns: readonly Column[], searchKey: string): boolean {
  if (searchKey === "") return true;
  return columns.some((column) => includesFolded(item.cells[column.id] ?? "", searchKey));
}

function compareItems(a: ListItem, b: ListItem, key: string): number {
  if (key === "date1") return a.createdAt - b.createdAt || a.id - b.id;
  const left = a.cells[key] ?? "";
  const right = b.cells[key] ?? "";
  const numeric = /^-?\d+(\.\d+)?$/;
  const byValue = numeric.test(left) && numeric.test(right) ? Number(left) - Number(right) : left.localeCompare(right, "zh-CN");
  return byValue || a.id - b.id;
}

/**
 * `_rpt_sort`: "-1" = newest first by add time (V-DEMO), "[-]date1", or "[-]<column id>".
 * Anything else falls back to newest first.
 */
export function sortItems(items: ListItem[], sortParam: string, columns: readonly Column[]): ListItem[] {
  const descending = sortParam.startsWith("-");
  const key = sortParam.replace(/^-/, "");
  const known = key === "date1" || columns.some((column) => column.id === key);
  if (key === "1" || !known) {
    const direction = key === "1" && !descending ? 1 : -1;
    return [...items].sort((a, b) => direction * compareItems(a, b, "date1"));
  }
  return [...items].sort((a, b) => (descending ? -1 : 1) * compareItems(a, b, key));
}

function positiveInt(text: string, fallback: number): number {
  return /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : fallback;
}

/** body.source for a list page: {type_:"table", table:{page, cols, rows}}. */
export function pagedTable(request: ZbRequest, columns: readonly Column[], items: readonly ListItem[]): Record<string, unknown> {
  const pagesize = positiveInt(param(request, "pagesize"), DEFAULT_PAGE_SIZE);
  const pageindex = positiveInt(param(request, "pageindex"), 1);
  const recordcount = items.length;
  const pagecount = Math.max(1, Math.ceil(recordcount / pagesize));
  const rows = items
    .slice((pageindex - 1) * pagesize, pageindex * pagesize)
    .map((item) => columns.map((column) => item.cells[column.id] ?? ""));
  return {
    type_: "table",
    table: {
      page: { recordcount, pagesize, pagecount, pageindex },
      cols: columns.map(({ id, dbtype }) => ({ id, dbtype })),
      rows,
    },
  };
}

/** [from, to) epoch bounds of a date range filter; a date-only upper bound covers that whole day. */
export function dateRange(
  request: ZbRequest,
  fromId: string,
  toId: string,
  parse: (text: string) => number | undefined,
): [number, number] {
  const from = parse(param(request, fromId)) ?? Number.NEGATIVE_INFINITY;
  const toText = param(request, toId);
  const to = parse(toText);
  if (to === undefined) return [from, Number.POSITIVE_INFINITY];
  return [from, /^\d{4}-\d{1,2}-\d{1,2}$/.test(toText) ? to + 86_400_000 : to + 1];
}
