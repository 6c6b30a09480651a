import type { ZsmlReply } from "./envelope.ts";
import { ErpProtocolError, ErpValidationError } from "./errors.ts";
import { excerptOf } from "./excerpt.ts";
import { looksLikeFailure } from "./failure-text.ts";

/** MessageClass (docs/zhibang-protocol.md §3.4): the answer to every save, assign and reply. */
export interface ErpMessage {
  text: string;
  title: string;
}

export function readMessage(reply: ZsmlReply): ErpMessage {
  const payload = reply.body.message;
  if (typeof payload === "string") return { text: payload, title: "" };
  if (typeof payload !== "object" || payload === null) return { text: reply.message === "ok" ? "" : reply.message, title: "" };
  const { text, title } = payload as { text?: unknown; title?: unknown };
  return { text: asText(text), title: asText(title) };
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

/**
 * Checks that a write reply is a MessageClass whose text is not a refusal; throws
 * ErpValidationError with the ERP's exact text otherwise. V-DEMO shows `header.message`
 * when the model is not the expected one (docs/zhibang-protocol.md §3.3).
 */
export function expectAcceptedMessage(reply: ZsmlReply, operation: string): ErpMessage {
  if (reply.model !== "message" && reply.model !== undefined) {
    const said = reply.message && reply.message !== "ok" ? `: ${excerptOf(reply.message)}` : "";
    throw new ErpProtocolError(`the ERP answered ${operation} with body.model "${reply.model}" instead of a message${said}`, {
      operation,
      excerpt: excerptOf(reply.message),
    });
  }
  const message = readMessage(reply);
  if (looksLikeFailure(message.text) || looksLikeFailure(message.title)) {
    const erpMessage = message.text || message.title;
    throw new ErpValidationError(`the ERP refused ${operation}: ${erpMessage}`, { operation, erpMessage });
  }
  return message;
}

/**
 * For reads that expected a bill or a table: a MessageClass answer carries the reason
 * (e.g. no permission). A failure text becomes ErpValidationError, anything else a
 * protocol error naming what came back.
 */
export function unexpectedModelError(reply: ZsmlReply, expected: string, operation: string): Error {
  if (reply.model === "message") {
    const { text } = readMessage(reply);
    if (looksLikeFailure(text))
      return new ErpValidationError(`the ERP refused ${operation}: ${text}`, { operation, erpMessage: text });
    return new ErpProtocolError(`the ERP answered ${operation} with a message instead of a ${expected}: ${excerptOf(text)}`, {
      operation,
      excerpt: excerptOf(text),
    });
  }
  return new ErpProtocolError(
    `the ERP answered ${operation} with body.model "${reply.model ?? "(none)"}" instead of "${expected}"`,
    {
      operation,
      excerpt: excerptOf(reply.message),
    },
  );
}
