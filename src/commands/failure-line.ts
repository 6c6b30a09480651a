import { maskText } from "../privacy/mask.ts";
import { routerMessages } from "./messages/index.ts";

const MAX_REASON_CHARS = 120;

/** The short, masked reason taken from an error's message: first line, at most 120 characters. */
export function shortReason(error: unknown, locale: "zh" | "en"): string {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  const firstLine = maskText(message.split("\n")[0]?.trim() ?? "").replace(/[。.]$/, "");
  if (firstLine === "") return routerMessages(locale).unknownReason;
  const chars = [...firstLine];
  return chars.length <= MAX_REASON_CHARS ? firstLine : `${chars.slice(0, MAX_REASON_CHARS - 1).join("")}…`;
}

/** What the user reads when a handler failed: what failed, why, and what to do. */
export function failureLine(command: string, error: unknown, locale: "zh" | "en"): string {
  const messages = routerMessages(locale);
  const hint = hintOf(error) ?? messages.defaultHint;
  return messages.failed(command, shortReason(error, locale), hint);
}

function hintOf(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === "string" && hint.trim() !== "" ? maskText(hint.trim()) : undefined;
}
