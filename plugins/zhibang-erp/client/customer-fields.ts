import type { Datas } from "./call-spec.ts";
import type { CustomerDetail, CustomerInput } from "./types.ts";

/**
 * CustomerInput ↔ the ERP's field ids (docs/zhibang-protocol.md §5.2, §5.3). Company customers carry
 * a contact person (`person_name`, required); for a personal customer the contact fields
 * describe the customer themself and there is no `person_name`.
 */

/** Input property → ERP field id, in the order the vendor's form lists them. */
const FIELD_IDS: ReadonlyArray<[keyof CustomerInput, string]> = [
  ["name", "name"],
  ["khid", "khid"],
  ["sort1", "sort1"],
  ["ly", "ly"],
  ["jz", "jz"],
  ["trade", "trade"],
  ["area", "area"],
  ["address", "address"],
  ["faren", "faren"],
  ["personName", "person_name"],
  ["sex", "sex"],
  ["job", "job"],
  ["phone", "phone"],
  ["mobile", "mobile"],
  ["email", "email"],
  ["qq", "qq"],
  ["weixinAcc", "weixinAcc"],
  ["intro", "intro"],
];

/** The `intro` (备注) limit (docs/zhibang-protocol.md §5.2). */
export const CUSTOMER_INTRO_MAX_CHARS = 4000;

export function customerDatas(input: CustomerInput & { ord: string }): Datas {
  const datas: Datas = { ord: input.ord };
  for (const [property, id] of FIELD_IDS) {
    if (property === "personName" && input.intsort !== 1) continue;
    const value = input[property];
    if (value === undefined || value === "") continue;
    datas[id] = property === "intro" ? String(value).slice(0, CUSTOMER_INTRO_MAX_CHARS) : String(value);
  }
  for (const [id, value] of Object.entries(input.extra ?? {})) datas[id] = value;
  return datas;
}

/** Reads the detail form's fields (value if non-empty, else text). */
export function customerFromFields(ord: string, fields: Record<string, string>): CustomerDetail {
  const get = (id: string): string => (fields[id] ?? "").trim();
  return {
    ord,
    name: get("name"),
    khid: get("khid"),
    mobile: get("mobile"),
    personName: get("person_name") || get("personname"),
    phone: get("phone"),
    email: get("email"),
    ly: get("ly"),
    jz: get("jz"),
    sort1: get("sort1"),
    intro: get("intro"),
    fields,
  };
}
