/**
 * `/erp` and `/erp sync ...` are command candidates; `/erpx` or `/erp-sync` are not
 * (the prefix must be followed by whitespace or the end of the text).
 */
export function isCommandText(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const next = text.charAt(prefix.length);
  return next === "" || /\s/.test(next);
}
