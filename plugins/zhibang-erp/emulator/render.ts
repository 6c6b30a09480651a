import type { Reply, ZbDocument } from "./envelope.ts";
import type { EmulatorFaults } from "./types.ts";

export interface RenderedReply {
  status: number;
  contentType: string;
  body: Buffer;
}

type Formatting = Pick<EmulatorFaults, "statusAsString" | "controlChars" | "rowsAsObjects">;

/** UI-only strings that get garbage control characters in controlChars mode. */
const GARBLED_KEYS = new Set(["caption", "title", "dbtype"]);

export function renderReply(reply: Reply, formatting: Formatting): RenderedReply {
  if (reply.kind === "text")
    return { status: reply.status, contentType: reply.contentType, body: Buffer.from(reply.text, "utf8") };
  if (reply.kind === "json")
    return {
      status: reply.status,
      contentType: "application/json; charset=utf-8",
      body: Buffer.from(JSON.stringify(reply.value), "utf8"),
    };
  return {
    status: 200,
    contentType: "application/json; charset=utf-8",
    body: Buffer.from(renderDocument(reply.doc, formatting), "utf8"),
  };
}

export function renderDocument(doc: ZbDocument, formatting: Formatting): string {
  let value: unknown = doc;
  if (formatting.statusAsString) value = { ...doc, header: { ...doc.header, status: String(doc.header.status) } };
  if (formatting.rowsAsObjects) value = mapTables(value, rowsToObjects);
  if (!formatting.controlChars) return JSON.stringify(value);
  return unescapeControlCharacters(JSON.stringify(garble(value)));
}

interface Table {
  cols?: { id?: unknown }[];
  rows?: unknown;
}

/** Applies `change` to every source.table in the document. */
function mapTables(value: unknown, change: (table: Table) => Table): unknown {
  if (Array.isArray(value)) return value.map((item) => mapTables(item, change));
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    result[key] = key === "table" && member && typeof member === "object" ? change(member as Table) : mapTables(member, change);
  }
  return result;
}

/** `{value:[...], ord}` rows, a shape PY2 met on a live server (docs/zhibang-protocol.md §3.6). */
function rowsToObjects(table: Table): Table {
  if (!Array.isArray(table.rows) || !Array.isArray(table.cols)) return table;
  const ordIndex = table.cols.findIndex((col) => col.id === "ord");
  return { ...table, rows: table.rows.map((row: unknown[]) => ({ value: row, ord: ordIndex >= 0 ? row[ordIndex] : "" })) };
}

function garble(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(garble);
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    result[key] = GARBLED_KEYS.has(key) && typeof member === "string" ? `${member}\u0001\t\r\n` : garble(member);
  }
  return result;
}

/**
 * Turns JSON escapes of control characters (\n, \t, \u0001 ...) back into the raw characters,
 * as the legacy server emits them (docs/zhibang-protocol.md §2.1). An escape preceded by an escaped backslash is kept.
 */
export function unescapeControlCharacters(json: string): string {
  const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
  return json.replace(/(\\+)(u00[01][0-9a-fA-F]|[nrtbf])/g, (match, slashes: string, sequence: string) => {
    if (slashes.length % 2 === 0) return match;
    const raw = sequence.length === 1 ? simple[sequence]! : String.fromCharCode(Number.parseInt(sequence.slice(1), 16));
    return slashes.slice(1) + raw;
  });
}
