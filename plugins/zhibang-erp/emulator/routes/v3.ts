import { asText } from "../body-parser.ts";
import { CATEGORIES, describeSort1, findCategory, JZ_ENUM, LY_ENUM, resolveEnum, TRADE_ENUM } from "../catalog.ts";
import { type Reply, v3Reply } from "../envelope.ts";
import { CUSTOMER_FIELDS, malformedMobile } from "../fields.ts";
import type { CustomerRecord } from "../state.ts";
import type { AuthedContext } from "./context.ts";
import { CUSTOMER_TEXTS, parseOrd } from "./customers.ts";

/**
 * The v3 customer endpoints (docs/zhibang-protocol.md §6): a flat JSON body, {Code, Msg} replies.
 * `sort` is the category and `sort1` the stage here (unlike the zsml "category,stage" pair);
 * ly/jz/trade/sort/sort1 take an id or a display name, since which one is UNKNOWN.
 */

const canonicalFields = new Map(CUSTOMER_FIELDS.filter((id) => id !== "sort1").map((id) => [id.toLowerCase(), id]));
const ENUM_FIELDS: Readonly<Record<string, string>> = { ly: LY_ENUM, jz: JZ_ENUM, trade: TRADE_ENUM };

interface V3Changes {
  form: Record<string, string>;
  khid?: string;
  intsort?: number;
}

function lowerKeys(body: Record<string, unknown>): Map<string, string> {
  return new Map(Object.entries(body).map(([key, value]) => [key.toLowerCase(), asText(value).trim()]));
}

/** Resolves sort (category) and sort1 (stage) into the stored "category,stage" pair. */
function sortPair(values: Map<string, string>, current: string): string | { failure: string } {
  const sortText = values.get("sort");
  const stageText = values.get("sort1");
  if (sortText === undefined && stageText === undefined) return current;
  const currentParts = describeSort1(current);
  const category = sortText === undefined ? currentParts.category : findCategory(sortText);
  if (!category) return { failure: CUSTOMER_TEXTS.sort1Unknown };
  if (stageText === undefined || stageText === "") return `${category.id},${category.stages[0]?.id ?? ""}`;
  const stage = category.stages.find((candidate) => candidate.id === stageText || candidate.text === stageText);
  return stage ? `${category.id},${stage.id}` : { failure: CUSTOMER_TEXTS.sort1Unknown };
}

/** Reads the changed fields; returns the failure text when a value is invalid. */
function readChanges(values: Map<string, string>, currentSort1: string): V3Changes | { failure: string } {
  const form: Record<string, string> = {};
  for (const [key, value] of values) {
    const id = canonicalFields.get(key);
    if (!id) continue;
    const enumId = ENUM_FIELDS[id];
    if (enumId && value !== "") {
      const option = resolveEnum(enumId, value);
      if (!option)
        return {
          failure: id === "ly" ? CUSTOMER_TEXTS.lyUnknown : id === "jz" ? CUSTOMER_TEXTS.jzUnknown : CUSTOMER_TEXTS.tradeUnknown,
        };
      form[id] = option.id;
    } else form[id] = value;
  }
  if (form.name !== undefined && form.name === "") return { failure: CUSTOMER_TEXTS.nameMissing };
  if (malformedMobile(form.mobile)) return { failure: CUSTOMER_TEXTS.mobileMalformed };
  const sort1 = sortPair(values, currentSort1);
  if (typeof sort1 !== "string") return sort1;
  if (sort1 !== "") form.sort1 = sort1;
  const changes: V3Changes = { form };
  const khid = values.get("khid");
  if (khid !== undefined && khid !== "") changes.khid = khid;
  const sort2 = values.get("sort2");
  if (sort2 === "1" || sort2 === "2") changes.intsort = Number(sort2);
  else if (sort2 !== undefined && sort2 !== "") return { failure: "客户属性无效！" };
  return changes;
}

function khidTaken(context: AuthedContext, khid: string | undefined, ord: number): boolean {
  return khid !== undefined && context.faults.khidUnique && context.state.customerByKhid(khid, ord) !== undefined;
}

/** POST /webapi/v3/sales/customer/edit: a partial update of an existing customer. */
export function handleV3Edit(context: AuthedContext): Reply {
  const values = lowerKeys(context.request.body);
  const ordText = values.get("ord") ?? "";
  if (ordText === "") return v3Reply(300, "单据ID不能为空！");
  const ord = parseOrd(ordText);
  const customer: CustomerRecord | undefined = ord === undefined ? undefined : context.state.customers.get(ord);
  if (!customer) return v3Reply(300, CUSTOMER_TEXTS.notFound);
  const changes = readChanges(values, customer.form.sort1 ?? "");
  if ("failure" in changes) return v3Reply(300, changes.failure);
  if (khidTaken(context, changes.khid, customer.ord)) return v3Reply(300, CUSTOMER_TEXTS.khidInUse);
  context.state.updateCustomer(customer, changes, context.now, true);
  return v3Reply(200, context.faults.successText);
}

/** POST /webapi/v3/sales/customer/add: sort2 (1|2) and name required; sort/sort1 default to the first category. */
export function handleV3Add(context: AuthedContext): Reply {
  const values = lowerKeys(context.request.body);
  const sort2 = values.get("sort2") ?? "";
  if (sort2 !== "1" && sort2 !== "2") return v3Reply(300, "客户属性不能为空！");
  if ((values.get("name") ?? "") === "") return v3Reply(300, CUSTOMER_TEXTS.nameMissing);
  const firstCategory = CATEGORIES[0]!;
  const changes = readChanges(values, `${firstCategory.id},${firstCategory.stages[0]?.id ?? ""}`);
  if ("failure" in changes) return v3Reply(300, changes.failure);
  if (khidTaken(context, changes.khid, -1)) return v3Reply(300, CUSTOMER_TEXTS.khidInUse);
  const { ord, khid } = context.state.allocateCustomerOrd(context.now);
  context.state.insertCustomer({
    ord,
    khid: changes.khid ?? khid,
    intsort: changes.intsort ?? 1,
    form: changes.form,
    owners: [context.session.userId],
    createdAt: context.now,
  });
  return v3Reply(200, context.faults.successText);
}
