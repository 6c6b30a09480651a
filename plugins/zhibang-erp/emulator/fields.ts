/**
 * Form field ids of the customer and contact forms (docs/zhibang-protocol.md §5.2, §5.8), in the vendor's
 * spelling. Requests are matched case-insensitively (ASP's Request collection is), so a
 * lower-case id is mapped back to the canonical one before it is stored.
 */

/**
 * A mainland mobile as the vendor requires it: "格式需满足11位的有效手机号码" (docs/zhibang-protocol.md §6).
 * Empty means no mobile; anything else that is not 11 digits starting 13-19 is refused.
 */
const MOBILE = /^1[3-9]\d{9}$/;
export const MOBILE_MALFORMED = "手机号码格式不正确！";

export function malformedMobile(value: string | undefined): boolean {
  return value !== undefined && value !== "" && !MOBILE.test(value);
}

const BANK_FIELDS = [1, 2, 3, 4, 5, 6, 7].flatMap((n) => [`bank_${n}`, `bank2_${n}`]);
const CUSTOM_FIELDS = [1, 2, 3, 4, 5, 6].map((n) => `zdy${n}`);

/** Customer form fields that belong to the main contact (the person of a company customer). */
export const MAIN_CONTACT_FIELDS = [
  "person_name",
  "@personpym",
  "sex",
  "age",
  "year1",
  "part1",
  "job",
  "phone",
  "fax",
  "mobile",
  "phone2",
  "email",
  "qq",
  "weixinAcc",
  "XiQueIntro",
  "msn",
  "jg",
] as const;

/** Every customer form field the save accepts (khid, ord and intsort are handled apart). */
export const CUSTOMER_FIELDS: readonly string[] = [
  "name",
  "pym",
  "sort1",
  "ly",
  "jf2",
  "area",
  "trade",
  "jz",
  "credit",
  "url",
  "bz",
  "hk_xz",
  "address",
  "lng",
  "lat",
  "zip",
  "faren",
  "zijin",
  "pernum1",
  "pernum2",
  ...MAIN_CONTACT_FIELDS,
  "product",
  "c2",
  "c3",
  "c4",
  "intro",
  ...BANK_FIELDS,
  "fkdays",
  "fkdate",
  ...CUSTOM_FIELDS,
];

export const CONTACT_FIELDS: readonly string[] = [
  "person_name",
  "pym",
  "sex",
  "age",
  "year1",
  "part1",
  "job",
  "phone",
  "fax",
  "mobile",
  "mobile2",
  "phone2",
  "email",
  "qq",
  "weixinAcc",
  "XiQueIntro",
  "msn",
  "jg",
  "zip",
  "joy",
  "intro",
];

const canonicalCustomer = new Map(CUSTOMER_FIELDS.map((id) => [id.toLowerCase(), id]));
const canonicalContact = new Map(CONTACT_FIELDS.map((id) => [id.toLowerCase(), id]));

/** Picks the known fields out of a request's datas (lower-case keys) under canonical ids. */
export function pickFields(datas: ReadonlyMap<string, string>, form: "customer" | "contact"): Record<string, string> {
  const canonical = form === "customer" ? canonicalCustomer : canonicalContact;
  const picked: Record<string, string> = {};
  for (const [key, value] of datas) {
    const id = canonical.get(key);
    if (id) picked[id] = value.trim();
  }
  return picked;
}

/** The main-contact part of a customer form, renamed to contact field ids. */
export function mainContactFields(customerForm: Readonly<Record<string, string>>): Record<string, string> {
  const contact: Record<string, string> = {};
  for (const id of MAIN_CONTACT_FIELDS) {
    const value = customerForm[id];
    if (value === undefined) continue;
    contact[id === "@personpym" ? "pym" : id] = value;
  }
  return contact;
}
