import { param } from "../body-parser.ts";
import { describeSort1, JZ_ENUM, LY_ENUM, resolveEnum, TRADE_ENUM } from "../catalog.ts";
import { type Reply, zbBill, zbMessage } from "../envelope.ts";
import { MOBILE_MALFORMED, malformedMobile, pickFields } from "../fields.ts";
import { parseDateTime } from "../time.ts";
import type { AuthedContext } from "./context.ts";
import { allocateBill, detailBill } from "./customer-form.ts";

/**
 * Failure texts of the customer save. The real texts are unknown except the pattern
 * "<x>编号已被使用，不能保存！" (docs/zhibang-protocol.md §3.4, PHP); these follow the vendor's style.
 */
export const CUSTOMER_TEXTS = {
  badOrd: "客户ID无效，请先分配新客户ID！",
  badIntsort: "客户类型无效！",
  nameMissing: "客户名称不能为空！",
  nameTooLong: "客户名称不能超过100个字！",
  sort1Missing: "客户分类不能为空！",
  sort1Unknown: "客户分类不存在！",
  personMissing: "联系人姓名不能为空！",
  lyUnknown: "客户来源不存在！",
  jzUnknown: "价值评估不存在！",
  tradeUnknown: "客户行业不存在！",
  introTooLong: "备注不能超过4000个字！",
  khidTooLong: "客户编号不能超过50个字！",
  khidInUse: "客户编号已被使用，不能保存！",
  mobileMalformed: MOBILE_MALFORMED,
  /** Detail of an ord that is not a saved customer (our choice; the real text is unknown). */
  notFound: "该客户不存在或已被删除！",
} as const;

export function parseOrd(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** custom/add.asp without cmdkey and without edit=1: reserve a fresh ord (docs/zhibang-protocol.md §5.1). */
export function handleAllocate(context: AuthedContext): Reply {
  const intsort = param(context.request, "intsort") === "2" ? 2 : 1;
  const { ord, khid } = context.state.allocateCustomerOrd(context.now);
  return zbBill(context.session.token, allocateBill(ord, khid, intsort));
}

/** custom/add.asp?edit=1 with ord (docs/zhibang-protocol.md §5.3). */
export function handleDetail(context: AuthedContext): Reply {
  const ord = parseOrd(param(context.request, "ord"));
  const customer = ord === undefined ? undefined : context.state.customers.get(ord);
  if (!customer) return zbMessage(context.session.token, CUSTOMER_TEXTS.notFound);
  return zbBill(context.session.token, detailBill(context.state, customer));
}

/** Returns the failure text of an invalid customer form, or undefined. */
export function validateCustomerForm(form: Record<string, string>, intsort: number): string | undefined {
  const name = form.name ?? "";
  if (name === "") return CUSTOMER_TEXTS.nameMissing;
  if (name.length > 100) return CUSTOMER_TEXTS.nameTooLong;
  const sort1 = form.sort1 ?? "";
  if (sort1 === "") return CUSTOMER_TEXTS.sort1Missing;
  const { category, stage } = describeSort1(sort1);
  const stageId = sort1.split(",")[1]?.trim() ?? "";
  if (!category || (stageId !== "" && !stage)) return CUSTOMER_TEXTS.sort1Unknown;
  if (intsort === 1 && !form.person_name) return CUSTOMER_TEXTS.personMissing;
  if (malformedMobile(form.mobile)) return CUSTOMER_TEXTS.mobileMalformed;
  if (form.ly && !resolveEnum(LY_ENUM, form.ly)) return CUSTOMER_TEXTS.lyUnknown;
  if (form.jz && !resolveEnum(JZ_ENUM, form.jz)) return CUSTOMER_TEXTS.jzUnknown;
  if (form.trade && !resolveEnum(TRADE_ENUM, form.trade)) return CUSTOMER_TEXTS.tradeUnknown;
  if ((form.intro ?? "").length > 4000) return CUSTOMER_TEXTS.introTooLong;
  return undefined;
}

/** The khid to store, or the failure text. An omitted khid keeps the current/pre-generated one. */
function resolveKhid(context: AuthedContext, ord: number, current: string): { khid: string } | { failure: string } {
  const sent = context.request.datas.get("khid");
  const khid = sent === undefined || sent.trim() === "" ? current : sent.trim();
  if (khid.length > 50) return { failure: CUSTOMER_TEXTS.khidTooLong };
  if (khid !== "" && context.faults.khidUnique && context.state.customerByKhid(khid, ord)) {
    return { failure: CUSTOMER_TEXTS.khidInUse };
  }
  return { khid };
}

/**
 * custom/add.asp?intsort=1|2 with cmdkey __sys_dosave (docs/zhibang-protocol.md §5.2). A reserved ord creates the
 * customer; an existing ord is a whole-form update (fields not sent are cleared, except
 * khid, owners and the add time). Success and failure both answer model "message".
 */
export function handleCustomerSave(context: AuthedContext): Reply {
  const { request, state, session, now } = context;
  const ord = parseOrd(param(request, "ord"));
  const existing = ord === undefined ? undefined : state.customers.get(ord);
  const reservedKhid = ord === undefined ? undefined : state.reservedOrds.get(ord);
  if (ord === undefined || (!existing && reservedKhid === undefined)) return zbMessage(session.token, CUSTOMER_TEXTS.badOrd);
  const intsortText = param(request, "intsort");
  if (intsortText !== "" && intsortText !== "1" && intsortText !== "2")
    return zbMessage(session.token, CUSTOMER_TEXTS.badIntsort);
  const intsort = intsortText === "" ? (existing?.intsort ?? 1) : Number(intsortText);
  const form = pickFields(request.datas, "customer");
  const failure = validateCustomerForm(form, intsort);
  if (failure) return zbMessage(session.token, failure);
  const khid = resolveKhid(context, ord, existing?.khid ?? reservedKhid ?? "");
  if ("failure" in khid) return zbMessage(session.token, khid.failure);
  if (context.random() < context.faults.silentNonSaveRate) {
    // "返回 ok，但反查…没有落库" (PY2, docs/zhibang-protocol.md §3.4): the reply says saved, nothing is stored.
    state.silentNonSaves += 1;
    return zbMessage(session.token, context.faults.successText);
  }
  if (existing) state.updateCustomer(existing, { form, khid: khid.khid, intsort }, now, false);
  else {
    const createdAt = parseDateTime(param(request, "date1")) ?? now;
    state.insertCustomer({ ord, khid: khid.khid, intsort, form, owners: [session.userId], createdAt });
  }
  return zbMessage(session.token, context.faults.successText);
}
