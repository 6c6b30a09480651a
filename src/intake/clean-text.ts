/**
 * Text as it is stored: control characters and bidi overrides removed (tabs and newlines
 * kept, CR/LF folded to LF), ends trimmed, and bounded with a visible marker. Emoji
 * sequences survive (the zero-width joiner is kept) and a surrogate pair is never split.
 */

// C0 except \t and \n, DEL, C1, and the invisible direction overrides a spoofed name could use.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export const CUT_MARKER = { zh: "…[内容过长，已截断]", en: "…[truncated]" } as const;

export function cleanText(raw: string, maxChars: number, locale: "zh" | "en" = "zh"): string {
  const text = raw.replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  return bound(text, maxChars, CUT_MARKER[locale]);
}

export function bound(text: string, maxChars: number, marker: string): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - marker.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // keep a surrogate pair whole
  return text.slice(0, end) + marker;
}
