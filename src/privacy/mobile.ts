/**
 * Mainland mobile numbers as customers actually type them: "+86 138-0013-8000",
 * "138 0013 8000", full-width "１３８００１３８０００". Valid numbers are normalised to
 * 11 ASCII digits; anything else (10 or 12 digits, landlines) is refused.
 */

export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** Full-width digits and separators folded to ASCII. */
export function foldFullWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/** Returns the 11-digit mobile, or undefined when the input is not exactly one valid mobile. */
export function normalizeMobile(input: string): string | undefined {
  const folded = foldFullWidth(input).trim();
  if (!/^[+\d\s\-().]+$/.test(folded)) return undefined;
  let digits = folded.replace(/\D/g, "");
  if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  else if (digits.length === 15 && digits.startsWith("0086")) digits = digits.slice(4);
  return MOBILE_PATTERN.test(digits) ? digits : undefined;
}

// A candidate run: optional +86, then digits with single spaces or dashes between groups.
const CANDIDATE = /(?:\+?\s?86[\s-]?)?(?<!\d)\d(?:[\s-]?\d){9,11}(?!\d)/g;

/** Every valid mobile written in free text, in order, without duplicates. */
export function extractMobiles(text: string): string[] {
  const folded = foldFullWidth(text);
  const found: string[] = [];
  for (const match of folded.matchAll(CANDIDATE)) {
    const mobile = normalizeMobile(match[0]);
    if (mobile !== undefined && !found.includes(mobile)) found.push(mobile);
  }
  return found;
}
