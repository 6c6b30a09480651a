/**
 * "Is this message a command?" as a small pure matcher, testable alone.
 * `/erp sync 张三` → { name: "sync", args: ["张三"], rest: "张三" }; `/erpx` is not a command.
 */

export interface ParsedCommand {
  /** Lower-cased command name; "" when the prefix stood alone (`/erp` = help). */
  name: string;
  /** Arguments split on whitespace, quoted ones ("张 三") kept together without their quotes. */
  args: string[];
  /** Everything after the name, as typed (trimmed), for free text like `followup`. */
  rest: string;
}

// Opening quote → closing quote. Chinese input methods type “…” and ‘…’ rather than ASCII quotes.
const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "「": "」" };

/** Returns the command when `text` starts with `prefix` followed by whitespace or the end. */
export function parseCommand(text: string, prefix: string): ParsedCommand | undefined {
  const trimmed = text.trimStart();
  if (trimmed.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const afterPrefix = trimmed.slice(prefix.length);
  // JavaScript's \s includes the full-width space (U+3000) that Chinese keyboards type.
  if (afterPrefix !== "" && !/^\s/.test(afterPrefix)) return undefined;
  const body = afterPrefix.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return { name: "", args: [], rest: "" };
  const rest = (match[2] ?? "").trim();
  return { name: (match[1] ?? "").toLowerCase(), args: splitArguments(rest), rest };
}

/** Splits on whitespace; a quoted run is one argument (an unclosed quote runs to the end). */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let inToken = false;
  let closing: string | undefined;
  for (const ch of text) {
    if (closing !== undefined) {
      if (ch === closing) closing = undefined;
      else current += ch;
    } else if (/\s/.test(ch)) {
      if (inToken) args.push(current);
      current = "";
      inToken = false;
    } else if (QUOTES[ch] !== undefined && !inToken) {
      closing = QUOTES[ch];
      inToken = true;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (inToken) args.push(current);
  return args;
}
