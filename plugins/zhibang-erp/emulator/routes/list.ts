import { param, type ZbRequest } from "../body-parser.ts";
import { describeSort1 } from "../catalog.ts";
import { type Reply, zbReply, zbSource } from "../envelope.ts";
import type { CustomerRecord, EmulatorState } from "../state.ts";
import { parseDateTime } from "../time.ts";
import type { AuthedContext } from "./context.ts";
import {
  type Column,
  dateRange,
  idSet,
  includesFolded,
  type ListItem,
  matchesSearchKey,
  pagedTable,
  sortItems,
} from "./table.ts";

const varchar = (id: string): Column => ({ id, dbtype: "varchar" });
const int = (id: string): Column => ({ id, dbtype: "int" });

/** The real default layout, in order (WX-DATA, docs/zhibang-protocol.md §5.4). There is no khid column. */
export const DEFAULT_COLUMNS: readonly Column[] = [
  varchar("name"),
  varchar("catename"),
  varchar("sortname"),
  varchar("sort1name"),
  varchar("personname"),
  varchar("personjob"),
  varchar("phone"),
  varchar("mobile"),
  varchar("telintro"),
  int("ord"),
  int("person"),
  varchar("url"),
  varchar("personurl"),
];

/** checktype=radio: PHP reads ord at rows[0][7], so this layout differs (docs/zhibang-protocol.md §5.4). */
export const RADIO_COLUMNS: readonly Column[] = [
  varchar("name"),
  varchar("sortname"),
  varchar("sort1name"),
  varchar("catename"),
  varchar("personname"),
  varchar("phone"),
  varchar("mobile"),
  int("ord"),
  varchar("telintro"),
  int("person"),
  varchar("url"),
  varchar("personurl"),
];

/** Fuzzy filters on stored fields (模糊检索条件); `phone` also searches the mobile. */
const FUZZY_FIELDS: Readonly<Record<string, (customer: CustomerRecord) => string[]>> = {
  name: (c) => [c.form.name ?? ""],
  pym: (c) => [c.form.pym ?? ""],
  khid: (c) => [c.khid],
  phone: (c) => [c.form.phone ?? "", c.form.mobile ?? ""],
  fax: (c) => [c.form.fax ?? ""],
  url: (c) => [c.form.url ?? ""],
  address: (c) => [c.form.address ?? ""],
  zip: (c) => [c.form.zip ?? ""],
  intro: (c) => [c.form.intro ?? ""],
};

/** Multi-select filters (comma-separated ids); khly/khjz/khhy are the help's aliases. */
const MULTI_FIELDS: Readonly<Record<string, (customer: CustomerRecord) => string[]>> = {
  ly: (c) => [c.form.ly ?? ""],
  khly: (c) => [c.form.ly ?? ""],
  jz: (c) => [c.form.jz ?? ""],
  khjz: (c) => [c.form.jz ?? ""],
  trade: (c) => [c.form.trade ?? ""],
  khhy: (c) => [c.form.trade ?? ""],
  area: (c) => [c.form.area ?? ""],
  cateid: (c) => c.owners,
  a_cateid: (c) => c.owners,
  telsort: (c) => [describeSort1(c.form.sort1 ?? "").category?.id ?? ""],
  telord: (c) => [String(c.ord)],
};

function listItem(state: EmulatorState, customer: CustomerRecord): ListItem {
  const { category, stage } = describeSort1(customer.form.sort1 ?? "");
  const person = state.contacts.get(customer.personOrd);
  const cells: Record<string, string> = {
    name: customer.form.name ?? "",
    catename: state.ownerNames(customer),
    sortname: category?.text ?? "",
    sort1name: stage?.text ?? "",
    personname: person?.form.person_name ?? "",
    personjob: person?.form.job ?? "",
    phone: customer.form.phone ?? "",
    mobile: customer.form.mobile ?? "",
    telintro: customer.telintro,
    ord: String(customer.ord),
    person: customer.personOrd ? String(customer.personOrd) : "0",
    url: "_url",
    personurl: "_url",
  };
  return { cells, createdAt: customer.createdAt, id: customer.ord };
}

/** stype: "" = every customer this (admin) account may see, 1 = 客户池; 2-5 have no data here. */
function matchesMode(customer: CustomerRecord, stype: string): boolean {
  if (stype === "") return true;
  if (stype === "1") return customer.isPublic;
  return false;
}

/** Unknown filter ids (e.g. `mobile`) are ignored, as a real server ignores what it does not know. */
function matchesFilters(request: ZbRequest, customer: CustomerRecord, createdRange: [number, number]): boolean {
  for (const [id, values] of Object.entries(FUZZY_FIELDS)) {
    const wanted = param(request, id);
    if (wanted !== "" && !values(customer).some((value) => includesFolded(value, wanted))) return false;
  }
  for (const [id, values] of Object.entries(MULTI_FIELDS)) {
    const wanted = idSet(param(request, id));
    if (wanted.size > 0 && !values(customer).some((value) => wanted.has(value))) return false;
  }
  return customer.createdAt >= createdRange[0] && customer.createdAt < createdRange[1];
}

/** The list UI definition returned without cmdkey=refresh: no rows (docs/zhibang-protocol.md §5.4). */
function listSkeleton(token: string): Reply {
  const report = {
    id: "custom_list",
    caption: "客户列表",
    sorts: [
      { id: "-1", text: "按添加时间倒序" },
      { id: "name", text: "按客户名称" },
    ],
    search: {
      fields: ["name", "pym", "khid", "phone", "address", "intro"].map((id) => ({ id, caption: id, type_: "text" })),
      multis: ["ly", "jz", "cateid", "area", "trade"].map((id) => ({ id, caption: id, type_: "check" })),
    },
    cols: DEFAULT_COLUMNS.map(({ id, dbtype }) => ({ id, dbtype })),
  };
  return zbReply(token, { model: "report", report });
}

/** custom/list.asp (docs/zhibang-protocol.md §5.4). */
export function handleCustomerList(context: AuthedContext): Reply {
  const { request, state, session } = context;
  if (request.cmdkey.toLowerCase() !== "refresh") return listSkeleton(session.token);
  const columns = param(request, "checktype").toLowerCase() === "radio" ? RADIO_COLUMNS : DEFAULT_COLUMNS;
  const stype = param(request, "stype");
  const created = intersect(
    dateRange(request, "date1_0", "date1_1", parseDateTime),
    dateRange(request, "a_date_0", "a_date_1", parseDateTime),
  );
  const searchKey = param(request, "searchKey");
  const items = [...state.customers.values()]
    .filter((customer) => matchesMode(customer, stype) && matchesFilters(request, customer, created))
    .map((customer) => listItem(state, customer))
    .filter((item) => matchesSearchKey(item, columns, searchKey));
  return zbSource(session.token, pagedTable(request, columns, sortItems(items, param(request, "_rpt_sort"), columns)));
}

function intersect(a: [number, number], b: [number, number]): [number, number] {
  return [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
}
