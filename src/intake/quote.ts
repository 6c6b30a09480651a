import type { QuotedMessage } from "../store/types.ts";

/**
 * How puppets render a 引用 (quote) reply as plain text: the quoted message between 「」
 * with its writer's display name, a line of spaced dashes, then the reply itself:
 *
 *   「销售小王：我的手机 139…，有问题随时打给我」
 *   - - - - - - - - - - - - - - -
 *   好的，收到
 *
 * The separator line is what tells a quote from a customer who merely starts with 「.
 */
const QUOTE = /^「([\s\S]*?)」[ \t]*\n[ \t]*(?:-[ \t]*){5,}\n?/;

export interface SplitText {
  /** What the writer typed in this message. */
  text: string;
  quoted?: QuotedMessage;
}

/** Splits a quote reply into the reply and the quoted message; other text comes back whole. */
export function splitQuote(raw: string): SplitText {
  const text = raw.replace(/\r\n?/g, "\n");
  const match = QUOTE.exec(text);
  if (!match) return { text: raw };
  const header = match[1] ?? "";
  const colon = header.search(/[：:]/);
  const quoted: QuotedMessage =
    colon > 0 ? { name: header.slice(0, colon).trim(), text: header.slice(colon + 1) } : { name: "", text: header };
  return { text: text.slice(match[0].length), quoted };
}
