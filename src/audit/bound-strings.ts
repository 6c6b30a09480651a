/**
 * Audit records keep whole requests and responses, but one huge string (an HTML error page, a
 * base64 attachment) would bloat every line: such strings are cut with a marker saying how much.
 */
export function boundStrings(value: unknown, maxLength: number): unknown {
  if (typeof value === "string") return boundString(value, maxLength);
  if (Array.isArray(value)) return value.map((item) => boundStrings(item, maxLength));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = boundStrings(item, maxLength);
  return out;
}

function boundString(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  // Do not split a surrogate pair (an emoji) in two.
  const cut = isHighSurrogate(text.charCodeAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return `${text.slice(0, cut)}…[truncated ${text.length - cut} chars]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
