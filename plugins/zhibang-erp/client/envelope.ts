import { z } from "zod";
import { ErpProtocolError, ErpServerError } from "./errors.ts";
import { excerptOf, looksLikeHtml } from "./excerpt.ts";
import { parseLenientJson, stripBom } from "./lenient-json.ts";

/**
 * From HTTP reply text to a typed reply, for both API families (docs/zhibang-protocol.md §3, §6, §8).
 * Pure: no I/O. Everything we cannot read becomes an ErpServerError (5xx, HTML page) or an
 * ErpProtocolError (empty, truncated, not JSON, unknown shape), each with a masked excerpt.
 * Whether a readable reply means success (status 0) is decided in reply-status.ts.
 */

/** The zsml "ZBDocument" reply (docs/zhibang-protocol.md §3). */
export interface ZsmlReply {
  family: "zsml";
  /**
   * `header.status`, coerced: the vendor template shows "0", live servers send 0, the crash handler "11"
   * (docs/zhibang-protocol.md §3.1).
   */
  status: number;
  message: string;
  session: string | undefined;
  model: string | undefined;
  action: string | undefined;
  /** `body`, `{}` when absent or null. */
  body: Record<string, unknown>;
  /** The whole header, for members we do not model (appversion, language). */
  header: Record<string, unknown>;
}

/** The v3 webapi reply `{Code, Msg}` or its list/detail shapes (docs/zhibang-protocol.md §6). */
export interface V3Reply {
  family: "v3";
  /** `Code`; a list/detail reply without one counts as 200. */
  code: number;
  msg: string;
  raw: Record<string, unknown>;
}

export type ErpReply = ZsmlReply | V3Reply;

export interface ReplyContext {
  operation: string;
  httpStatus: number;
}

/** Payload members of BodyClass (docs/zhibang-protocol.md §3.3); any other `body.model` is a shape we do not know. */
export const KNOWN_MODELS = new Set([
  "message",
  "bill",
  "source",
  "report",
  "panel",
  "home",
  "res",
  "sys",
  "fail",
  "login",
  "init",
]);

/** Text of a missing page on IIS/ASP (docs/zhibang-protocol.md §8, WX-REPORT). */
const MISSING_HANDLER = "找不到对应处理程序";

const optionalText = z
  .unknown()
  .optional()
  .transform((v): string | undefined => {
    if (v === null || v === undefined || v === "") return undefined;
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  });

const statusSchema = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, "a number"),
  ])
  .transform(Number);

const zsmlDocumentSchema = z.looseObject({
  header: z.looseObject({ status: statusSchema, message: optionalText, session: optionalText }),
  body: z.looseObject({ model: optionalText, action: optionalText }).nullish(),
  post: z.unknown().optional(),
});

const v3DocumentSchema = z.looseObject({
  Code: z
    .union([z.number(), z.string().trim().regex(/^\d+$/)])
    .transform(Number)
    .optional(),
  Msg: optionalText,
});

/** True when the server has no handler at this path (HTTP 404 or the IIS text), e.g. for the login fallback. */
export function isMissingPath(httpStatus: number, text: string): boolean {
  return httpStatus === 404 || text.includes(MISSING_HANDLER);
}

/** Reads one HTTP reply. Throws ErpServerError / ErpProtocolError for anything that is not a readable envelope. */
export function parseErpReply(text: string, context: ReplyContext): ErpReply {
  const trimmed = stripBom(text).trim();
  rejectUnreadableReply(trimmed, context);
  let json: unknown;
  try {
    json = parseLenientJson(trimmed);
  } catch (error) {
    throw notJsonError(trimmed, context, error);
  }
  if (context.httpStatus >= 400) throw httpError(trimmed, context, messageInside(json));
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ErpProtocolError(`the ERP's ${context.operation} reply is JSON but not an object`, {
      operation: context.operation,
      excerpt: excerptOf(trimmed),
    });
  }
  const record = json as Record<string, unknown>;
  if ("header" in record) return readZsml(record, trimmed, context);
  if (isV3Shape(record)) return readV3(record, trimmed, context);
  throw new ErpProtocolError(`the ERP's ${context.operation} reply has neither header nor Code: unknown shape`, {
    operation: context.operation,
    excerpt: excerptOf(trimmed),
  });
}

/** 404s, empty bodies and HTML pages, before any JSON parsing. */
function rejectUnreadableReply(trimmed: string, context: ReplyContext): void {
  const { operation, httpStatus } = context;
  if (isMissingPath(httpStatus, trimmed)) {
    throw new ErpServerError(`the ERP has no handler for the ${operation} path (HTTP ${httpStatus})`, {
      operation,
      httpStatus,
      excerpt: excerptOf(trimmed),
      html: looksLikeHtml(trimmed),
      retryable: false,
    });
  }
  if (looksLikeHtml(trimmed)) {
    throw new ErpServerError(`the ERP answered ${operation} with an HTML page (HTTP ${httpStatus}) instead of JSON`, {
      operation,
      httpStatus,
      excerpt: excerptOf(trimmed),
      html: true,
      retryable: httpStatus >= 500 || httpStatus < 400,
    });
  }
  if (trimmed === "") {
    if (httpStatus >= 400) throw httpError(trimmed, context, undefined);
    throw new ErpProtocolError(`the ERP answered ${operation} with an empty body (HTTP ${httpStatus})`, {
      operation,
      retryable: true,
    });
  }
}

function notJsonError(trimmed: string, context: ReplyContext, cause: unknown): Error {
  if (context.httpStatus >= 400) return httpError(trimmed, context, undefined);
  const truncated = /^[[{]/.test(trimmed);
  const what = truncated ? "truncated or malformed JSON" : "text that is not JSON";
  return new ErpProtocolError(`the ERP answered ${context.operation} with ${what}`, {
    operation: context.operation,
    cause,
    excerpt: excerptOf(trimmed),
    retryable: true,
  });
}

function httpError(trimmed: string, context: ReplyContext, erpMessage: string | undefined): ErpServerError {
  const { operation, httpStatus } = context;
  const detail = erpMessage ? `: ${excerptOf(erpMessage)}` : "";
  return new ErpServerError(`the ERP answered ${operation} with HTTP ${httpStatus}${detail}`, {
    operation,
    httpStatus,
    excerpt: excerptOf(trimmed),
    retryable: httpStatus >= 500 || httpStatus === 408 || httpStatus === 429,
  });
}

/** The message of an error envelope sent with an HTTP error status, if it has one. */
function messageInside(json: unknown): string | undefined {
  const header = (json as { header?: { message?: unknown } } | null)?.header;
  if (typeof header?.message === "string") return header.message;
  const msg = (json as { Msg?: unknown } | null)?.Msg;
  return typeof msg === "string" ? msg : undefined;
}

function readZsml(record: Record<string, unknown>, trimmed: string, context: ReplyContext): ZsmlReply {
  const parsed = zsmlDocumentSchema.safeParse(record);
  if (!parsed.success) {
    throw new ErpProtocolError(
      `the ERP's ${context.operation} reply has an unreadable header: ${summariseIssues(parsed.error)}`,
      {
        operation: context.operation,
        excerpt: excerptOf(trimmed),
      },
    );
  }
  const { header, body } = parsed.data;
  const reply: ZsmlReply = {
    family: "zsml",
    status: header.status,
    message: header.message ?? "",
    session: header.session,
    model: body?.model,
    action: body?.action,
    body: (body ?? {}) as Record<string, unknown>,
    header: record.header as Record<string, unknown>,
  };
  if (reply.status === 0 && reply.model !== undefined && !KNOWN_MODELS.has(reply.model)) {
    throw new ErpProtocolError(`the ERP's ${context.operation} reply has an unknown body.model "${reply.model}"`, {
      operation: context.operation,
      excerpt: excerptOf(trimmed),
    });
  }
  return reply;
}

function isV3Shape(record: Record<string, unknown>): boolean {
  return ["Code", "Msg", "Data", "Rows", "Cols", "Page"].some((key) => key in record);
}

function readV3(record: Record<string, unknown>, trimmed: string, context: ReplyContext): V3Reply {
  const parsed = v3DocumentSchema.safeParse(record);
  if (!parsed.success) {
    throw new ErpProtocolError(`the ERP's ${context.operation} reply has an unreadable Code: ${summariseIssues(parsed.error)}`, {
      operation: context.operation,
      excerpt: excerptOf(trimmed),
    });
  }
  return { family: "v3", code: parsed.data.Code ?? 200, msg: parsed.data.Msg ?? "", raw: record };
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
    .join("; ");
}

/** Narrows to a ZBDocument; a v3 `{Code, Msg}` where a zsml page was called is a protocol error. */
export function asZsml(reply: ErpReply, operation: string): ZsmlReply {
  if (reply.family === "zsml") return reply;
  throw new ErpProtocolError(
    `the ERP answered ${operation} with a v3 reply (Code ${reply.code}) where a ZBDocument was expected`,
    {
      operation,
      excerpt: excerptOf(reply.msg),
    },
  );
}
