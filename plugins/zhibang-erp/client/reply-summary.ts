import type { ErpReply } from "./envelope.ts";
import { ErpProtocolError, ErpServerError } from "./errors.ts";

/**
 * The short form of a reply kept in call events (audit log): enough to see what the ERP
 * said (status, model, message text, new ord, row count) without whole tables.
 */
export function summariseReply(reply: ErpReply): Record<string, unknown> {
  if (reply.family === "v3") return { code: reply.code, msg: reply.msg };
  const summary: Record<string, unknown> = { status: reply.status, message: reply.message };
  if (reply.model !== undefined) summary.model = reply.model;
  if (reply.action !== undefined) summary.action = reply.action;
  const payload = reply.model ? (reply.body[reply.model] as Record<string, unknown> | null | undefined) : undefined;
  if (reply.model === "message") summary.text = typeof payload === "string" ? payload : payload?.text;
  if (reply.model === "bill") summary.value = payload?.value;
  if (reply.model === "source") {
    const table = (payload?.table ?? payload) as { rows?: unknown; page?: unknown } | undefined;
    summary.rows = Array.isArray(table?.rows) ? table.rows.length : table?.rows ? 1 : 0;
    if (table?.page !== undefined) summary.page = table.page;
  }
  return summary;
}

/** What to record as the response of a failed attempt. */
export function summariseFailure(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof ErpServerError || error instanceof ErpProtocolError) return { excerpt: error.excerpt };
  return undefined;
}
