/**
 * Sums of money and quantities as people type them in a sales chat: "180万", "三百万",
 * "两百万", "一万五", "4千5", "1.2亿", "50w", "¥4,000", "USD 180,000", "2 million RMB",
 * "一台12万", "1.5万/吨", "单价15万", "3600的那款". A number with no sign of money
 * (a phone, "37千瓦", "500万颗", "两千亩", "2026年") is not a sum.
 */
import nzh from "nzh/cn";
import { foldFullWidth } from "../../privacy/mobile.ts";

export interface Amount {
  yuan: number;
  /** The unit this is a price of ("台" in "12万一台"), when it is one. */
  per?: string;
}

export interface Quantity {
  count: number;
  unit: string;
}

/** Chinese numerals below ten thousand; 万 and 亿 are read as the magnitude. */
const CN = "零〇一二两三四五六七八九十百千";
const NUMBER = `\\d+(?:,\\d{3})*(?:\\.\\d+)?|[${CN}]+`;
/** Counting words: "500万颗" counts chips, not yuan. */
const COUNT_UNITS = ["立方", ..."台套个件吨米方片份盒辆部颗张把间只条根桶箱包袋支瓶罐块本"];
const UNIT = COUNT_UNITS.join("|");
const PER = `(?:[一每]|\\/|per\\s)(${UNIT}|piece|unit|set|ton)`;
const USD_RATE = 7;
const ENGLISH_UNITS: Record<string, string> = { piece: "个", unit: "个", set: "套", ton: "吨" };

const MAGNITUDE = new RegExp(
  `(?:(¥|￥|RMB|USD|US\\$|\\$)\\s?)?(${NUMBER})(?:多)?\\s?(亿|万|w|W|千(?=[一二三四五六七八九\\d]|$|[^瓦米克亩卡伏字步\\p{Script=Han}])|k(?=\\s?(?:RMB|元|块))|million|thousand)?(?:\\s?(元|块(?:钱)?|RMB|rmb|美元|美金|USD|dollars?))?\\s?(?:${PER})?`,
  "gu",
);

/** Every sum of money in the text, in yuan. */
export function amountsIn(raw: string): Amount[] {
  const text = foldFullWidth(raw);
  const found: Amount[] = [];
  for (const match of text.matchAll(MAGNITUDE)) {
    const [whole, sign, number, magnitude, unit, per] = match;
    const after = text.slice((match.index ?? 0) + whole.length);
    const before = text.slice(0, match.index ?? 0);
    if (!isMoney({ sign, number: number ?? "", magnitude, unit, before, after })) continue;
    const value = readNumber(number ?? "", magnitude, after) * scale(magnitude);
    const yuan = isDollar(sign, unit) ? value * USD_RATE : value;
    if (!Number.isFinite(yuan) || yuan <= 0) continue;
    const unitBefore = new RegExp(`[单每一](${UNIT})\\s*(?:是|为|[:：])?\\s*$`, "u").exec(before)?.[1];
    const priced = per ?? unitBefore;
    found.push(priced === undefined ? { yuan } : { yuan, per: ENGLISH_UNITS[priced] ?? priced });
  }
  return found;
}

interface MoneyParts {
  sign: string | undefined;
  number: string;
  magnitude: string | undefined;
  unit: string | undefined;
  before: string;
  after: string;
}

/** A price cue just before a bare number: "报价4000", "活动价2499", "定金5000", "每立方6500". */
const PRICE_CUE = new RegExp(
  `(价|价格|价钱|报价|售价|单价|总价|费用|年费|月费|收费|定金|首付|只要|一共|总共|合计|[每一]年|[每一]个?月|[单每一](?:${UNIT}))\\s*(?:是|为|[:：])?\\s*$`,
  "u",
);

function isMoney({ sign, number, magnitude, unit, before, after }: MoneyParts): boolean {
  if (/^\d{7,}$/.test(number.replace(/[,.]/g, ""))) return false; // phones, ids
  if (/[×xX*]\s*$/.test(before) || /^\s*[×xX*]/.test(after)) return false; // "800×800"
  const counted = new RegExp(`^\\s?(?:${UNIT}|[人亩平家粒字步年月天号楼层])`, "u").test(after);
  if (magnitude === "万" || magnitude === "亿" || magnitude === "w" || magnitude === "W") return !counted || unit !== undefined;
  if (sign !== undefined || unit !== undefined || magnitude !== undefined) return true;
  // A bare number: money only after a price cue, or as "3600的" / "18800那个套餐".
  if (!/^\d{3,6}(\.\d+)?$/.test(number)) return false;
  return PRICE_CUE.test(before) || /^\s?(的|那[个款台套])/.test(after);
}

function isDollar(sign: string | undefined, unit: string | undefined): boolean {
  return (
    sign === "$" ||
    sign === "US$" ||
    sign === "USD" ||
    unit === "美元" ||
    unit === "美金" ||
    unit === "USD" ||
    /^dollars?$/.test(unit ?? "")
  );
}

function scale(magnitude: string | undefined): number {
  switch (magnitude) {
    case "亿":
      return 1e8;
    case "万":
    case "w":
    case "W":
      return 1e4;
    case "千":
    case "k":
    case "thousand":
      return 1e3;
    case "million":
      return 1e6;
    default:
      return 1;
  }
}

/** The number before a magnitude; "4千5" and "一万五" are 4.5 thousand and 1.5 ten-thousand. */
function readNumber(number: string, magnitude: string | undefined, after: string): number {
  const base = /^[\d,.]+$/.test(number) ? Number(number.replace(/,/g, "")) : chineseNumber(number);
  const tail = /^([一二两三四五六七八九]|\d)(?![\d万千百十])/.exec(after)?.[1];
  if (magnitude === undefined || tail === undefined || magnitude === "k" || magnitude === "w" || magnitude === "W") return base;
  return base + chineseNumber(tail) / 10;
}

/** "三百" → 300, "两千" → 2000, "四千五" → 4500; nzh reads the written form, 两 is spoken 二. */
export function chineseNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const written = text.replace(/两/g, "二").replace(/〇/g, "零");
  // Spoken shorthand: a last digit after 千 or 百 is the next place down ("四千五" = 四千五百).
  const spoken = /([千百])([一二三四五六七八九])$/.exec(written);
  const full = spoken ? `${written}${spoken[1] === "千" ? "百" : "十"}` : written;
  const value = Number(nzh.decodeS(full));
  return Number.isFinite(value) ? value : Number.NaN;
}

const QUANTITY = new RegExp(`(\\d+(?:,\\d{3})*|[${CN}]+)\\s?(${UNIT})(?![钱])`, "gu");

/** Counts of goods: "20台", "500吨", "两百份". */
export function quantitiesIn(raw: string): Quantity[] {
  const text = foldFullWidth(raw);
  const found: Quantity[] = [];
  for (const match of text.matchAll(QUANTITY)) {
    const count = chineseNumber((match[1] ?? "").replace(/,/g, ""));
    if (Number.isFinite(count) && count >= 2) found.push({ count, unit: match[2] ?? "" });
  }
  return found;
}

/**
 * The size of the deal the texts talk about: the largest sum, or a unit price times the
 * largest quantity of that unit ("一台12万" and "要8台"), whichever is larger.
 */
export function dealSize(texts: readonly string[]): number | undefined {
  const amounts = texts.flatMap(amountsIn);
  if (amounts.length === 0) return undefined;
  const quantities = texts.flatMap(quantitiesIn);
  let best = 0;
  for (const amount of amounts) {
    const most = Math.max(1, ...quantities.filter((q) => q.unit === amount.per).map((q) => q.count));
    best = Math.max(best, amount.per === undefined ? amount.yuan : amount.yuan * most);
  }
  return best > 0 ? best : undefined;
}
