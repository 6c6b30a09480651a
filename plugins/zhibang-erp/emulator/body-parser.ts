import JSON5 from "json5";

/**
 * One parsed API call. `datas` and `query` are keyed by lower-case id because the real
 * server reads them through ASP's case-insensitive Request collections.
 */
export interface ZbRequest {
  /** Lower-case path without the query, e.g. /sysa/mobilephone/salesmanage/custom/add.asp. */
  path: string;
  query: ReadonlyMap<string, string>;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The zsml PostClass members (docs/zhibang-protocol.md §2.2). */
  session: string;
  cmdkey: string;
  datas: ReadonlyMap<string, string>;
  /** The parsed body as posted (v3 calls read flat members from it). */
  body: Record<string, unknown>;
}

export class BodyParseError extends Error {
  override readonly name = "BodyParseError";
}

/** Content types the runtime lists next to CONTENT_TYPE (docs/zhibang-protocol.md §2.1), plus none and text/plain. */
const ACCEPTED_CONTENT_TYPES = new Set(["", "application/json", "application/zsml", "text/zsml", "text/plain"]);

export function isAcceptedContentType(header: string | undefined): boolean {
  const mediaType = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return ACCEPTED_CONTENT_TYPES.has(mediaType);
}

/**
 * Strict JSON first, then the JS object literals the vendor's samples post (unquoted keys,
 * single quotes, trailing commas, comments: the real server evaluates the body as script).
 * JSON5 is that grammar, kept by a maintained library rather than a parser of our own.
 */
export function parseBodyText(text: string): Record<string, unknown> {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    try {
      parsed = JSON5.parse(trimmed);
    } catch (error) {
      throw new BodyParseError(`the request body is neither JSON nor a JS object literal: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new BodyParseError("the request body is not an object");
  return parsed as Record<string, unknown>;
}

/**
 * A posted value as the server sees it: always a string (a "val" may be posted as a number,
 * docs/zhibang-protocol.md §2.2).
 */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function datasMap(datas: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(datas)) return map;
  for (const item of datas) {
    if (item === null || typeof item !== "object") continue;
    const { id, val } = item as { id?: unknown; val?: unknown };
    if (typeof id !== "string" || id === "") continue;
    map.set(id.toLowerCase(), asText(val));
  }
  return map;
}

function queryMap(search: URLSearchParams): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of search) map.set(key.toLowerCase(), value);
  return map;
}

export function buildRequest(url: URL, headers: ZbRequest["headers"], body: Record<string, unknown>): ZbRequest {
  const query = queryMap(url.searchParams);
  // item.asp: `If Len(cmdkey) = 0 Then cmdkey = request.querystring("__msgid")` (docs/zhibang-protocol.md §2.2).
  const cmdkey = asText(body.cmdkey) || query.get("__msgid") || "";
  return {
    path: safeDecode(url.pathname)
      .toLowerCase()
      .replace(/\/{2,}/g, "/"),
    query,
    headers,
    session: asText(body.session),
    cmdkey,
    datas: datasMap(body.datas),
    body,
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A form parameter: the posted datas first, then the query string (ASP's Request(x)). */
export function param(request: ZbRequest, id: string): string {
  const key = id.toLowerCase();
  return (request.datas.get(key) ?? request.query.get(key) ?? "").trim();
}
