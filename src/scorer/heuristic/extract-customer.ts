/**
 * Contact details a customer gives about themselves. Callers pass CUSTOMER messages only:
 * a number or an address the salesperson typed is theirs, not the customer's.
 */
import { extractMobiles } from "../../privacy/mobile.ts";
import { extractCompany } from "./extract-company.ts";

export interface CustomerFields {
  name?: string;
  company?: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** Common surnames, minus those that also start everyday words after "我是" (明天, 单位, 常客...). */
export const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲滕屈饶解牟艾尤阳穆农卓吉缪芦麦褚娄窦戚岑党卜晏柏瞿桂佟臧闵苟邬卞姬栾隋刁巫寇桑郎甄丛仲虞敖巩佘匡钮鞠";
const COMPOUND_SURNAMES = /^(欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|夏侯|令狐|宇文|司徒)/;

const CALLED =
  /(?:我叫|我的名字是|我的名字叫|姓名\s*[:：是]?|联系人\s*[:：是]?|称呼\s*[:：]?)\s*(\p{Script=Han}{2,4})(?=$|[^\p{Script=Han}]|[，,。！!的])/u;
const I_AM = /我是\s*(\p{Script=Han}{2,4}?)(?=$|[^\p{Script=Han}]|[，,。！!的]|来自|这边)/u;
const AFTER_COMPANY = /(?:公司|集团|科技|厂|贸易)的\s*(\p{Script=Han}{2,3})(?=$|[^\p{Script=Han}])/u;
const SURNAME_ONLY = /免贵姓\s*(\p{Script=Han})(?:[，,\s]*(?:叫|全名|名字)?\s*(\p{Script=Han}{2,3}))?/u;
const ENGLISH_NAME = /\b(?:[Mm]y name is|[Tt]his is|I am|I'm)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b/;
const NOT_ENGLISH_NAMES = new Set([
  "Interested",
  "Looking",
  "The",
  "Not",
  "Just",
  "Here",
  "Good",
  "Fine",
  "Very",
  "From",
  "Also",
  "Sorry",
  "Busy",
  "Still",
]);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const ADDRESS_LABELLED = /(?:收货地址|详细地址|公司地址|送货地址|地址)\s*(?:是|为|在)?\s*[:：]?\s*([^。；;\n]{4,80})/;
const ADDRESS_SHIP_TO = /(?:寄到|送到|发到|发货到)\s*[:：]?\s*([^。；;\n]{4,80})/;
const ADDRESS_ENGLISH = /\baddress\s*(?:is)?\s*[:：]?\s*([^;\n]{6,120})/i;
const ADDRESS_TAIL = /[，,]\s*(电话|手机|联系人|邮箱|tel|phone|mobile|email)[\s\S]*$/i;

/** "我是华通贸易的王经理": 华 is a surname, 华通贸易 is a company. */
const COMPANY_ENDING = /(公司|集团|科技|实业|贸易|商贸|厂|研究院|研究所|事务所|工作室|医院|学校)$/;

function looksLikeName(name: string): boolean {
  return (COMPOUND_SURNAMES.test(name) || SURNAMES.includes(name.charAt(0))) && !COMPANY_ENDING.test(name);
}

export function extractName(text: string): string | undefined {
  // "我叫小王", "联系人：小王": the cue is strong enough to accept any name.
  const called = CALLED.exec(text)?.[1];
  if (called !== undefined && !/^(什么|啥)/.test(called)) return called;
  for (const pattern of [I_AM, AFTER_COMPANY]) {
    const candidate = pattern.exec(text)?.[1];
    if (candidate !== undefined && looksLikeName(candidate)) return candidate;
  }
  const surname = SURNAME_ONLY.exec(text);
  if (surname?.[1] !== undefined) {
    const full = surname[2];
    return full?.startsWith(surname[1]) ? full : surname[1];
  }
  const english = ENGLISH_NAME.exec(text)?.[1];
  if (english !== undefined && !NOT_ENGLISH_NAMES.has(english.split(" ")[0] ?? "")) return english;
  return undefined;
}

export function extractAddress(text: string): string | undefined {
  const shipTo = ADDRESS_SHIP_TO.exec(text)?.[1];
  const raw =
    ADDRESS_LABELLED.exec(text)?.[1] ??
    (shipTo !== undefined && /[省市区县路街号镇村]/.test(shipTo) ? shipTo : undefined) ??
    ADDRESS_ENGLISH.exec(text)?.[1];
  // Chinese addresses carry no commas: "…328号，这次要快" ends at the comma.
  const cut = raw !== undefined && /\p{Script=Han}/u.test(raw) ? raw.split(/[，,]/)[0] : raw?.replace(ADDRESS_TAIL, "");
  const address = cut?.replace(/[.。\s]+$/, "").trim();
  if (address === undefined || address.length < 4 || /^(是|在)?(哪|什么|多少)/.test(address)) return undefined;
  return address;
}

/** The latest value of each field across the customer's messages (a correction wins). */
export function extractCustomer(customerTexts: readonly string[]): CustomerFields {
  const fields: CustomerFields = {};
  for (const text of customerTexts) {
    const phone = extractMobiles(text).at(-1);
    const email = text.match(EMAIL)?.at(-1);
    const found: CustomerFields = {
      ...optional("name", extractName(text)),
      ...optional("company", extractCompany(text)),
      ...optional("phone", phone),
      ...optional("email", email),
      ...optional("address", extractAddress(text)),
    };
    Object.assign(fields, found);
  }
  return fields;
}

function optional<K extends keyof CustomerFields>(key: K, value: string | undefined): Partial<CustomerFields> {
  return value === undefined ? {} : { [key]: value };
}
