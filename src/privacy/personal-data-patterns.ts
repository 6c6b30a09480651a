/**
 * What counts as personal data in a sales chat, as patterns over free text. Used by
 * PersonalDataMask (personal-data-mask.ts) before a prompt leaves the machine.
 *
 * Sums of money and quantities are never personal data here: deal size drives the score,
 * so a digit run that reads as an amount ("12000000元", "预算 1500000", "¥4,000") stays.
 */
import { SURNAMES } from "../scorer/heuristic/extract-customer.ts";

export type PersonalKind = "姓名" | "公司" | "地址" | "邮箱" | "手机" | "电话" | "证件号" | "账号" | "微信号";

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Resident ID card: 6-digit region, birth date 19xx/20xx, sequence, check digit. */
export const ID_CARD =
  /(?<![\dA-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g;

/** Mainland mobile, +86 allowed, grouped by spaces or dashes (the same shapes intake accepts). */
export const MOBILE = /(?<!\d[-\s]?)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?![-\s]?\d)/g;

/** Landlines with an area code (010-12345678, (0571)8888 6666, 0755-1234567转802) and 400/800 lines. */
export const LANDLINE =
  /(?<!\d[-\s]?)(?:(?:\(0\d{2,3}\)|0\d{2,3})[-\s]?\d{3,4}[-\s]?\d{4}|[48]00[-\s]?\d{3}[-\s]?\d{4})(?:\s?(?:转|-|ext\.?)\s?\d{1,5})?(?![-\s]?\d)/g;

/**
 * Bank accounts and other long numbers (QQ, order, tax and licence numbers): 8 or more digits,
 * possibly grouped by spaces or dashes. Checked by `isAmount` before masking.
 */
export const LONG_DIGITS = /(?<!\d[.,]?)\d(?:[ -]?\d){7,29}(?![.,]?\d)/g;

const AMOUNT_AFTER =
  /^\s?(?:元|块|万|亿|千|百|w|W|k|K|RMB|rmb|美元|美金|USD|dollars?|台|套|个|件|吨|米|方|片|份|盒|辆|部|颗|张|把|只|条|根|桶|箱|包|袋|支|瓶|罐|本|kg|KG|斤|平|%|％)/;
const AMOUNT_BEFORE =
  /(?:¥|￥|\$|RMB|USD|预算|报价|价格|价钱|金额|总价|单价|合同额|合同金额|货款|付款|共计|合计|总共|一共|大概|大约|约)\s*[:：是为]?\s*$/;

/** A digit run that is a sum or a quantity, by the words around it. */
export function isAmount(before: string, after: string): boolean {
  return AMOUNT_AFTER.test(after) || AMOUNT_BEFORE.test(before.slice(-8));
}

/** "微信号 lisi_wx", "VX：abc123", "QQ 12345678": the id after the cue. */
export const ACCOUNT_ID =
  /((?:微信号?|wx|vx|VX|WX|Vx|V信|weixin|wechat|WeChat|QQ|qq)\s*(?:号)?\s*(?:是|为|[:：])?\s*)([A-Za-z][-_A-Za-z0-9]{4,19}|\d{5,11})(?![-_A-Za-z0-9])/g;

/** Forms of address after a surname: 张总, 王经理, 李工, 陈小姐. */
const TITLES =
  "总经理|总监|总工|总|经理|主管|主任|部长|处长|科长|局长|厂长|院长|校长|书记|董事长|董|工程师|工|老师|老板|助理|秘书|会计|律师|医生|师傅|小姐|先生|女士|姐|哥";
const COMPOUND = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|夏侯|令狐|宇文|司徒";
/** 于 and 余 also start everyday words ("小于", "余下"): never read as a surname after 小/老. */
const SURNAME_CLASS = `(?:${COMPOUND}|[${SURNAMES}])`;

/** A surname with a title: the surname is masked, the title stays (it says who decides). "总量", "高工资" are no titles. */
export const SURNAME_TITLE = new RegExp(
  `(${SURNAME_CLASS})(?=(?:${TITLES})(?![量结共部体裁算额价计监数资作厂艺程具期人业序位重]))`,
  "gu",
);

/** 小王, 老李: the surname after 小/老, when the word ends there. */
export const FAMILIAR = new RegExp(
  `(?<=[小老])((?:${COMPOUND}|[${SURNAMES.replace(/[于余]/g, "")}]))(?=$|[\\s，,。.！!？?、：:；;~～）)】」”"'您你说的这那在呀啊哈好])`,
  "gu",
);

/**
 * A street address without a cue word: "上海市浦东新区张江路88号3楼", "朝阳区建国路1号".
 * Cued addresses (地址：…, 寄到…) are found by the heuristic extractor first.
 */
export const STREET_ADDRESS =
  /(?:\p{Script=Han}{2,7}?(?:省|自治区|市|区|县|镇|乡))*\p{Script=Han}{1,12}?(?:路|街|大道|大街|巷|弄|道)\d+(?:-\d+)?号(?:[\p{Script=Han}\dA-Za-z-]{0,16}?(?:室|楼|层|座|栋|幢|单元|号|号楼))?/gu;
