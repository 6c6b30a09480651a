/**
 * How a gullible model reads a score out of anything the customer wrote: any number from
 * 0 to 100 in any form (digits, full-width digits, Chinese numerals, English words) next
 * to any word about scoring, or a superlative ("满分", "最高分", "maximum", "full marks").
 * The fake OpenAI server obeys what this finds, so injection tests face a model that falls
 * for phrasings the product's own pattern list has never seen.
 */
import nzh from "nzh/cn";

const SUPERLATIVE = /满分|最高分|最高|顶格|full marks|maximum|max score|top score|highest|perfect score/i;
const HIGH = /高分|high score/i;
/** Words about scoring; a number within a few characters of one is an instruction. */
const CUE = /分|评|打|记为|设为|填|等级|级|类|score|scoring|rate|rating|rated|grade|mark|points|out of|assign|output/i;
const ENGLISH_UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const ENGLISH_TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

function foldFullWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

/** "ninety-nine" → 99, "one hundred" → 100. */
interface Found {
  value: number;
  index: number;
  length: number;
}

function englishNumbers(text: string): Found[] {
  const found: Found[] = [];
  const words = `(?:${[...Object.keys(ENGLISH_TENS), ...Object.keys(ENGLISH_UNITS), "hundred"].join("|")})`;
  for (const match of text.matchAll(new RegExp(`\\b${words}(?:[\\s-]+${words})*\\b`, "gi"))) {
    let value = 0;
    for (const word of match[0].toLowerCase().split(/[\s-]+/)) {
      if (word === "hundred") value = Math.max(1, value) * 100;
      else value += ENGLISH_TENS[word] ?? ENGLISH_UNITS[word] ?? 0;
    }
    found.push({ value, index: match.index ?? 0, length: match[0].length });
  }
  return found;
}

function numbers(text: string): Found[] {
  const found = englishNumbers(text);
  for (const match of text.matchAll(/\d{1,3}/g))
    found.push({ value: Number(match[0]), index: match.index ?? 0, length: match[0].length });
  for (const match of text.matchAll(/[零一二两三四五六七八九十百]+/g)) {
    const value = Number(nzh.decodeS(match[0].replace(/两/g, "二")));
    if (Number.isFinite(value)) found.push({ value, index: match.index ?? 0, length: match[0].length });
  }
  return found.filter((n) => n.value >= 0 && n.value <= 100);
}

/** The score the text tells a model to give, if it tells one. */
export function instructedScore(raw: string): number | undefined {
  const text = foldFullWidth(raw);
  if (SUPERLATIVE.test(text)) return 100;
  const near = (n: Found) => CUE.test(text.slice(Math.max(0, n.index - 12), n.index + n.length + 8));
  const instructed = numbers(text).filter(near);
  if (instructed.length > 0) return Math.max(...instructed.map((n) => n.value));
  return HIGH.test(text) ? 95 : undefined;
}
