import { z } from "zod";
import type { ZsmlReply } from "./envelope.ts";
import { ErpProtocolError } from "./errors.ts";
import { unexpectedModelError } from "./message.ts";

/**
 * SourceClass tables (docs/zhibang-protocol.md §3.6, §5.4): `body.source.table = {cols, rows, page}`.
 * Rows are zipped into records by `cols[].id`, never by position: the column order changes
 * with the list mode (`checktype=radio` moves `ord`). PY2 saw rows as arrays, as
 * `{value:[…], ord}` objects, and as a single object instead of a list; all are accepted.
 */

/** One list row, keyed by column id; every value is a string (the ERP sends strings, docs/zhibang-protocol.md §3.6). */
export type ErpRecord = Record<string, string>;

export interface TablePage {
  recordcount: number | undefined;
  pagesize: number | undefined;
  pagecount: number | undefined;
  pageindex: number | undefined;
}

export interface ErpTable {
  columns: string[];
  records: ErpRecord[];
  page: TablePage;
}

const optionalCount = z
  .unknown()
  .optional()
  .transform((v) => (v === null || v === undefined || v === "" ? undefined : Number(v)))
  .refine((n) => n === undefined || Number.isFinite(n), "a number");

const pageSchema = z.looseObject({
  recordcount: optionalCount,
  pagesize: optionalCount,
  pagecount: optionalCount,
  pageindex: optionalCount,
});

const columnSchema = z.union([
  z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
  z.string().transform((id) => ({ id })),
]);

const tableSchema = z.looseObject({
  cols: z.array(columnSchema).nullish(),
  rows: z.unknown(),
  page: pageSchema.nullish(),
});

export function readTable(reply: ZsmlReply, operation: string): ErpTable {
  if (reply.model !== "source") throw unexpectedModelError(reply, "source table", operation);
  const source = reply.body.source as Record<string, unknown> | null | undefined;
  const rawTable = source?.table ?? source;
  const parsed = tableSchema.safeParse(rawTable ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ErpProtocolError(`the ERP's ${operation} table is unreadable: ${issue?.path.join(".")} ${issue?.message}`, {
      operation,
    });
  }
  const columns = (parsed.data.cols ?? []).map((c) => c.id);
  const records = rowList(parsed.data.rows).map((row) => zipRow(columns, row));
  const page = parsed.data.page;
  return {
    columns,
    records,
    page: { recordcount: page?.recordcount, pagesize: page?.pagesize, pagecount: page?.pagecount, pageindex: page?.pageindex },
  };
}

/** `rows` as a list: absent/null → [], one row object → [it]. */
function rowList(rows: unknown): unknown[] {
  if (rows === null || rows === undefined || rows === "") return [];
  if (Array.isArray(rows)) return rows;
  return [rows];
}

/** Zips one row by column id. Extra cells are dropped, missing cells become "". */
export function zipRow(columns: string[], row: unknown): ErpRecord {
  const record: ErpRecord = {};
  if (Array.isArray(row)) {
    columns.forEach((id, i) => {
      if (!(id in record)) record[id] = cellText(row[i]);
    });
    return record;
  }
  if (typeof row === "object" && row !== null) {
    const object = row as Record<string, unknown>;
    // PY2's `{value:[…], ord}` row: cells in `value`, the row's id beside them.
    if (Array.isArray(object.value)) {
      const zipped = zipRow(columns, object.value);
      if (object.ord !== undefined && !zipped.ord) zipped.ord = cellText(object.ord);
      return zipped;
    }
    // A row already keyed by column id.
    for (const [key, value] of Object.entries(object)) record[key] = cellText(value);
    for (const id of columns) record[id] ??= "";
    return record;
  }
  return Object.fromEntries(columns.map((id) => [id, ""]));
}

/** A cell as text: numbers and booleans as written, null as "", `{value|text}` objects by the bill rule. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object" && !Array.isArray(value)) {
    const { value: v, text } = value as { value?: unknown; text?: unknown };
    const preferred = cellText(v);
    return preferred.trim() !== "" ? preferred : cellText(text);
  }
  return JSON.stringify(value);
}
