/**
 * Reply builders. A zsml reply is a ZBDocument {header, body} (docs/zhibang-protocol.md §3); the v3
 * family answers {Code, Msg} (docs/zhibang-protocol.md §6). Handlers return a Reply; render.ts turns it into bytes
 * and applies the formatting faults (string status, control characters, object rows).
 */

export interface ZbHeader {
  status: number | string;
  message: string;
  session?: string;
  appversion?: string;
  language?: string;
}

export interface ZbDocument {
  header: ZbHeader;
  body?: Record<string, unknown>;
}

export type Reply =
  | { kind: "zb"; doc: ZbDocument }
  | { kind: "json"; status: number; value: unknown }
  | { kind: "text"; status: number; contentType: string; text: string };

/** Status 0 with the caller's session in the header (item.asp isfail=2: message, bill, source). */
export function zbReply(session: string | undefined, body: Record<string, unknown>): Reply {
  const header: ZbHeader = { status: 0, message: "ok", ...(session ? { session } : {}), language: "cn" };
  return { kind: "zb", doc: { header, body } };
}

/** MessageClass: saves answer with this whether they succeeded or failed (docs/zhibang-protocol.md §3.4). */
export function zbMessage(session: string | undefined, text: string, title = "系统提示"): Reply {
  return zbReply(session, { model: "message", message: { title, text, url: "", wait: 3, target: "", uitype: "", data: null } });
}

export function zbBill(session: string, bill: Record<string, unknown>): Reply {
  return zbReply(session, { model: "bill", bill });
}

export function zbSource(session: string, source: Record<string, unknown>): Reply {
  return zbReply(session, { model: "source", source });
}

/** Invalid or expired session: status 1 and no useful body (docs/zhibang-protocol.md §4.3, §8). */
export function zbSessionError(message: string): Reply {
  return { kind: "zb", doc: { header: { status: 1, message } } };
}

/** The runtime's crash template; its status is the *string* "11" (docs/zhibang-protocol.md §8). */
export function zbServerError(description: string): Reply {
  return { kind: "zb", doc: { header: { status: "11", message: `服务程序发生错误: 错误描述：${description}` } } };
}

/** Unknown page: HTTP 404 with the runtime's text (docs/zhibang-protocol.md §8, WX-REPORT). */
export function notFound(path: string): Reply {
  const relative = path.replace(/^\/(sysa\/)?/, "");
  return { kind: "text", status: 404, contentType: "text/plain; charset=utf-8", text: `${relative}找不到对应处理程序` };
}

export function methodNotAllowed(): Reply {
  return {
    kind: "text",
    status: 405,
    contentType: "text/html; charset=utf-8",
    text: "<h2>405 - 不允许使用用于访问此页的 HTTP 谓词。</h2>",
  };
}

/** V3 family: Code 200 ok, 300 failure, 400 token, 500 server error (docs/zhibang-protocol.md §6). */
export function v3Reply(code: 200 | 300 | 400 | 500, msg: string, extra: Record<string, unknown> = {}): Reply {
  return { kind: "json", status: 200, value: { Code: code, Msg: msg, ...extra } };
}

export function v3TokenError(): Reply {
  return v3Reply(400, "token验证失败");
}

/** A BillClass field (docs/zhibang-protocol.md §3.5): enums carry value = id and text = label. */
export interface BillField {
  id: string;
  caption: string;
  text: string;
  value: string;
  dbtype?: string;
  notnull?: boolean;
  source?: Record<string, unknown>;
}

export function field(id: string, caption: string, value: string, text = value, extra: Partial<BillField> = {}): BillField {
  return { id, caption, dbtype: "varchar", text, value, ...extra };
}
