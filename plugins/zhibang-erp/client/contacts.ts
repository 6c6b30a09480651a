import type { CallRunner } from "./call-runner.ts";
import type { Datas } from "./call-spec.ts";
import { listPages } from "./customer-list.ts";
import { asZsml } from "./envelope.ts";
import { ErpValidationError } from "./errors.ts";
import { type ErpMessage, expectAcceptedMessage } from "./message.ts";
import { CMD_SAVE, ERP_PATHS } from "./paths.ts";
import type { ErpRecord } from "./table.ts";
import type { ContactInput } from "./types.ts";

/**
 * Contacts (联系人, docs/zhibang-protocol.md §5.8): `person/add.asp` with `company` = the customer's
 * ord (not `ord`, which is the contact's own id). Adding is NOT repeatable (a second call
 * adds a second contact). The contact list's column ids are UNKNOWN, so its rows are
 * returned as records with a best-effort name and mobile.
 */

export interface ContactSummary {
  personName: string;
  mobile: string;
  record: ErpRecord;
}

const CONTACT_FIELD_IDS: ReadonlyArray<[keyof ContactInput, string]> = [
  ["personName", "person_name"],
  ["sex", "sex"],
  ["part1", "part1"],
  ["job", "job"],
  ["phone", "phone"],
  ["mobile", "mobile"],
  ["email", "email"],
  ["qq", "qq"],
  ["weixinAcc", "weixinAcc"],
  ["intro", "intro"],
];

export async function addContact(runner: CallRunner, companyOrd: string, person: ContactInput): Promise<ErpMessage> {
  if (person.personName.trim() === "") {
    throw new ErpValidationError("a contact needs a name (person_name)", { operation: "contactAdd", erpMessage: "" });
  }
  const datas: Datas = { company: companyOrd };
  for (const [property, id] of CONTACT_FIELD_IDS) {
    const value = person[property];
    if (typeof value === "string" && value !== "") datas[id] = value;
  }
  for (const [id, value] of Object.entries(person.extra ?? {})) datas[id] = value;
  return runner.run({
    family: "zsml",
    operation: "contactAdd",
    path: ERP_PATHS.contactForm,
    cmdkey: CMD_SAVE,
    datas,
    repeatable: false,
    write: true,
    interpret: (reply) => expectAcceptedMessage(asZsml(reply, "contactAdd"), "contactAdd"),
  });
}

export async function listContacts(runner: CallRunner, companyOrd: string, pageSize: number): Promise<ContactSummary[]> {
  const result = await listPages(runner, {
    operation: "contactList",
    path: ERP_PATHS.contactList,
    filters: { company: companyOrd },
    options: {},
    defaultPageSize: pageSize,
  });
  return result.items.filter((record) => belongsTo(record, companyOrd)).map(toContactSummary);
}

/** When the rows say which customer they belong to, a server that ignored the filter is corrected here. */
function belongsTo(record: ErpRecord, companyOrd: string): boolean {
  const owner = record.company ?? record.companyord ?? record.telord;
  return owner === undefined || owner === "" || owner === companyOrd;
}

function toContactSummary(record: ErpRecord): ContactSummary {
  return {
    personName: record.person_name ?? record.personname ?? record.name ?? "",
    mobile: record.mobile ?? "",
    record,
  };
}
