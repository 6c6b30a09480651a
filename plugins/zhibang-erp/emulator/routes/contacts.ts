import { param, type ZbRequest } from "../body-parser.ts";
import { field, type Reply, zbBill, zbMessage, zbReply, zbSource } from "../envelope.ts";
import { CONTACT_FIELDS, MOBILE_MALFORMED, malformedMobile, pickFields } from "../fields.ts";
import type { ContactRecord, EmulatorState } from "../state.ts";
import { parseDateTime } from "../time.ts";
import type { AuthedContext } from "./context.ts";
import { parseOrd } from "./customers.ts";
import { type Column, dateRange, includesFolded, type ListItem, matchesSearchKey, pagedTable, sortItems } from "./table.ts";

/** Failure texts of the contact save (the real ones are unknown; vendor style). */
export const CONTACT_TEXTS = {
  companyMissing: "关联客户不能为空！",
  companyNotFound: "关联客户不存在或已被删除！",
  nameMissing: "联系人姓名不能为空！",
  notFound: "该联系人不存在或已被删除！",
} as const;

const CAPTIONS: Readonly<Record<string, string>> = {
  person_name: "联系人姓名",
  pym: "拼音码",
  sex: "性别",
  job: "职务",
  part1: "部门",
  mobile: "手机",
  phone: "办公电话",
  email: "电子邮件",
  weixinAcc: "微信",
  intro: "备注",
};

/**
 * The contact list layout. The real column ids are UNKNOWN (docs/zhibang-protocol.md §5.8); these follow the
 * customer list's naming. Clients map by cols[].id.
 */
export const CONTACT_COLUMNS: readonly Column[] = [
  { id: "person_name", dbtype: "varchar" },
  { id: "companyname", dbtype: "varchar" },
  { id: "job", dbtype: "varchar" },
  { id: "mobile", dbtype: "varchar" },
  { id: "phone", dbtype: "varchar" },
  { id: "email", dbtype: "varchar" },
  { id: "ord", dbtype: "int" },
  { id: "company", dbtype: "int" },
  { id: "url", dbtype: "varchar" },
];

function contactBill(state: EmulatorState, contact: ContactRecord | undefined): Record<string, unknown> {
  const company = contact ? state.customers.get(contact.company) : undefined;
  const companyField = field("company", "关联客户", contact ? String(contact.company) : "", company?.form.name ?? "", {
    dbtype: "int",
    notnull: true,
  });
  const fields = CONTACT_FIELDS.map((id) =>
    field(
      id,
      CAPTIONS[id] ?? id,
      contact?.form[id] ?? "",
      contact?.form[id] ?? "",
      id === "person_name" ? { notnull: true } : {},
    ),
  );
  return {
    id: "person",
    caption: contact ? "联系人详情" : "添加联系人",
    uitype: "bill",
    value: contact?.ord ?? 0,
    groups: [{ id: "base", caption: "联系人信息", visible: true, fields: [companyField, ...fields] }],
  };
}

/** person/add.asp without cmdkey: the empty form, or the detail with edit=1 (docs/zhibang-protocol.md §5.8). */
export function handleContactForm(context: AuthedContext): Reply {
  const { request, state, session } = context;
  if (param(request, "edit") !== "1") return zbBill(session.token, contactBill(state, undefined));
  const ord = parseOrd(param(request, "ord"));
  const contact = ord === undefined ? undefined : state.contacts.get(ord);
  if (!contact) return zbMessage(session.token, CONTACT_TEXTS.notFound);
  return zbBill(session.token, contactBill(state, contact));
}

/**
 * person/add.asp with __sys_dosave: `ord` = the contact (update), `company` = the customer
 * (docs/zhibang-protocol.md §5.8).
 */
export function handleContactSave(context: AuthedContext): Reply {
  const { request, state, session, now } = context;
  const token = session.token;
  const companyText = param(request, "company");
  if (companyText === "" || companyText === "0") return zbMessage(token, CONTACT_TEXTS.companyMissing);
  const company = parseOrd(companyText);
  if (company === undefined || !state.customers.has(company)) return zbMessage(token, CONTACT_TEXTS.companyNotFound);
  const form = pickFields(request.datas, "contact");
  if (!form.person_name) return zbMessage(token, CONTACT_TEXTS.nameMissing);
  if (malformedMobile(form.mobile)) return zbMessage(token, MOBILE_MALFORMED);
  const ordText = param(request, "ord");
  if (ordText !== "" && ordText !== "0") {
    const ord = parseOrd(ordText);
    const contact = ord === undefined ? undefined : state.contacts.get(ord);
    if (!contact) return zbMessage(token, CONTACT_TEXTS.notFound);
    state.updateContact(contact, company, form, now);
  } else {
    state.insertContact(company, form, now);
  }
  return zbMessage(token, context.faults.successText);
}

function contactItem(state: EmulatorState, contact: ContactRecord): ListItem {
  const cells: Record<string, string> = {
    person_name: contact.form.person_name ?? "",
    companyname: state.customers.get(contact.company)?.form.name ?? "",
    job: contact.form.job ?? "",
    mobile: contact.form.mobile ?? "",
    phone: contact.form.phone ?? "",
    email: contact.form.email ?? "",
    ord: String(contact.ord),
    company: String(contact.company),
    url: "_url",
  };
  return { cells, createdAt: contact.createdAt, id: contact.ord };
}

const FUZZY_CONTACT_FILTERS: readonly [string, (item: ListItem, contact: ContactRecord) => string][] = [
  ["person_name", (item) => item.cells.person_name ?? ""],
  ["name", (item) => item.cells.companyname ?? ""],
  ...(["pym", "part1", "job", "mobile", "phone", "fax", "qq", "email", "joy", "intro"] as const).map(
    (id) =>
      [id, (_item: ListItem, contact: ContactRecord) => contact.form[id] ?? ""] as [
        string,
        (item: ListItem, contact: ContactRecord) => string,
      ],
  ),
];

function matchesContact(request: ZbRequest, item: ListItem, contact: ContactRecord, created: [number, number]): boolean {
  const company = param(request, "company");
  if (company !== "" && company !== String(contact.company)) return false;
  for (const [id, value] of FUZZY_CONTACT_FILTERS) {
    const wanted = param(request, id);
    if (wanted !== "" && !includesFolded(value(item, contact), wanted)) return false;
  }
  return contact.createdAt >= created[0] && contact.createdAt < created[1];
}

/** person/list.asp (docs/zhibang-protocol.md §5.8); without cmdkey refresh only the skeleton. */
export function handleContactList(context: AuthedContext): Reply {
  const { request, state, session } = context;
  if (request.cmdkey.toLowerCase() !== "refresh") {
    return zbReply(session.token, {
      model: "report",
      report: { id: "person_list", caption: "联系人列表", sorts: [{ id: "-1", text: "按添加时间倒序" }], search: { fields: [] } },
    });
  }
  const created = dateRange(request, "date1_0", "date1_1", parseDateTime);
  const searchKey = param(request, "searchKey");
  const items = [...state.contacts.values()]
    .map((contact) => ({ contact, item: contactItem(state, contact) }))
    .filter(
      ({ contact, item }) =>
        matchesContact(request, item, contact, created) && matchesSearchKey(item, CONTACT_COLUMNS, searchKey),
    )
    .map(({ item }) => item);
  return zbSource(
    session.token,
    pagedTable(request, CONTACT_COLUMNS, sortItems(items, param(request, "_rpt_sort"), CONTACT_COLUMNS)),
  );
}
