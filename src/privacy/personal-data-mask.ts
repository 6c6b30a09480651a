/**
 * Pseudonymisation for what leaves the machine (`scorer.maskPersonalData`): names, addresses,
 * emails, mobiles, landlines, ID card and account numbers become placeholders such as ⟨姓名1⟩
 * or ⟨邮箱1⟩, and `restore` puts the originals back into whatever the model answered.
 *
 * One mask serves one prompt: every occurrence of the same value in it (the transcript, the
 * contact, the known fields, the previous summary) gets the same placeholder, so the model can
 * still tell who said what and that a detail was given. Sums of money are never masked.
 */

import { extractCompany } from "../scorer/heuristic/extract-company.ts";
import { extractAddress, extractName } from "../scorer/heuristic/extract-customer.ts";
import {
  ACCOUNT_ID,
  EMAIL,
  FAMILIAR,
  ID_CARD,
  isAmount,
  LANDLINE,
  LONG_DIGITS,
  MOBILE,
  type PersonalKind,
  STREET_ADDRESS,
  SURNAME_TITLE,
} from "./personal-data-patterns.ts";

export interface PersonalDataMaskOptions {
  /** Company names too (`scorer.maskPersonalData.companies`). */
  companies: boolean;
}

const KINDS = "姓名|公司|地址|邮箱|手机|电话|证件号|账号|微信号";
/** A placeholder as sent, and the bracket variants a model may write it back with. */
const PLACEHOLDER = new RegExp(`⟨(?:${KINDS})\\d+⟩`, "gu");
const ANSWERED_PLACEHOLDER = new RegExp(`[⟨〈<《【\\[]\\s*(${KINDS})\\s*(\\d+)\\s*[⟩〉>》】\\]]`, "gu");
/** A literal shorter than this is too likely to be an ordinary word ("A", "王"). */
const MIN_LITERAL_CHARS = 2;

export class PersonalDataMask {
  private readonly placeholders = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counters = new Map<PersonalKind, number>();
  private readonly literals = new Map<string, PersonalKind>();

  constructor(private readonly options: PersonalDataMaskOptions) {}

  /**
   * A value known to be personal wherever it appears: the contact's nickname and remark, a
   * quoted writer's name, the thread's known fields. Company values count only when companies
   * are masked.
   */
  know(kind: PersonalKind, value: string | undefined): void {
    const text = value === undefined ? undefined : foldAlphanumerics(value).trim();
    if (text === undefined || [...text].length < MIN_LITERAL_CHARS) return;
    if (kind === "公司" && !this.options.companies) return;
    if (!this.literals.has(text)) this.literals.set(text, kind);
  }

  /** Finds the names, addresses and (optionally) companies written in these texts, to mask them everywhere. */
  learn(texts: readonly string[]): void {
    for (const text of texts) {
      this.know("姓名", extractName(text));
      this.know("地址", extractAddress(text));
      if (this.options.companies) this.know("公司", extractCompany(text));
    }
  }

  mask(text: string): string {
    // Full-width digits and letters are folded first: "１３８…" is a mobile too.
    let out = foldAlphanumerics(text);
    out = this.replace(out, EMAIL, () => "邮箱");
    out = this.replace(out, ID_CARD, () => "证件号");
    out = this.replace(out, MOBILE, () => "手机", mobileKey);
    out = this.replace(out, LANDLINE, () => "电话", digitsKey);
    out = this.replaceAccountIds(out);
    out = this.replace(out, LONG_DIGITS, (_match, before, after) => (isAmount(before, after) ? undefined : "账号"), digitsKey);
    out = this.replaceLiterals(out);
    out = this.replace(out, STREET_ADDRESS, () => "地址");
    out = this.replace(out, SURNAME_TITLE, () => "姓名");
    out = this.replace(out, FAMILIAR, () => "姓名");
    return out;
  }

  /** Puts the originals back; a placeholder this mask never gave out stays as written. */
  restore(text: string): string {
    return text.replace(
      ANSWERED_PLACEHOLDER,
      (whole, kind: string, index: string) => this.originals.get(`${kind}${index}`) ?? whole,
    );
  }

  /** A field of the answer: restored, or undefined when it still names a placeholder nobody was given. */
  restoreField(value: string | null | undefined): string | undefined {
    if (value === null || value === undefined) return undefined;
    const restored = this.restore(value);
    ANSWERED_PLACEHOLDER.lastIndex = 0;
    return ANSWERED_PLACEHOLDER.test(restored) ? undefined : restored;
  }

  /** How many distinct values were masked, by kind (for the log line, never the values). */
  counts(): Partial<Record<PersonalKind, number>> {
    return Object.fromEntries(this.counters) as Partial<Record<PersonalKind, number>>;
  }

  private placeholderFor(kind: PersonalKind, original: string, key: string): string {
    const mapKey = `${kind}\u0000${key}`;
    const known = this.placeholders.get(mapKey);
    if (known !== undefined) return known;
    const index = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, index);
    const placeholder = `⟨${kind}${index}⟩`;
    this.placeholders.set(mapKey, placeholder);
    this.originals.set(`${kind}${index}`, original);
    return placeholder;
  }

  /** Replaces the matches of `pattern` outside placeholders already given; `kindOf` undefined keeps a match. */
  private replace(
    text: string,
    pattern: RegExp,
    kindOf: (match: string, before: string, after: string) => PersonalKind | undefined,
    keyOf: (match: string) => string = (match) => match,
  ): string {
    return outsidePlaceholders(text, (segment) =>
      segment.replace(pattern, (match: string, ...rest: unknown[]) => {
        const offset = rest.find((item) => typeof item === "number") as number;
        const kind = kindOf(match, segment.slice(0, offset), segment.slice(offset + match.length));
        return kind === undefined ? match : this.placeholderFor(kind, match, keyOf(match));
      }),
    );
  }

  /** "微信号 lisi_wx": the cue stays, the id goes. A QQ number is an account, not a WeChat id. */
  private replaceAccountIds(text: string): string {
    return outsidePlaceholders(text, (segment) =>
      segment.replace(ACCOUNT_ID, (_match, cue: string, id: string) => {
        const kind: PersonalKind = /qq/i.test(cue) ? "账号" : "微信号";
        return `${cue}${this.placeholderFor(kind, id, id.toLowerCase())}`;
      }),
    );
  }

  /** Known values, the longest first: "张三丰" is masked before a "张三" inside it. */
  private replaceLiterals(text: string): string {
    const literals = [...this.literals.entries()].sort(([a], [b]) => b.length - a.length);
    let out = text;
    for (const [literal, kind] of literals) {
      out = outsidePlaceholders(out, (segment) =>
        segment.includes(literal) ? segment.split(literal).join(this.placeholderFor(kind, literal, literal)) : segment,
      );
    }
    return out;
  }
}

/** Applies `change` to the parts of `text` between placeholders, so no placeholder is masked again. */
function outsidePlaceholders(text: string, change: (segment: string) => string): string {
  let out = "";
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    out += change(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + change(text.slice(from));
}

/** Full-width digits, letters and @ . + - as ASCII; Chinese punctuation (，（）) stays as written. */
function foldAlphanumerics(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF20\uFF0E\uFF0B\uFF0D]/g, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

function digitsKey(text: string): string {
  return text.replace(/\D/g, "");
}

/** "+86 138-0013-8000" and "13800138000" are one mobile. */
function mobileKey(text: string): string {
  return digitsKey(text).slice(-11);
}
