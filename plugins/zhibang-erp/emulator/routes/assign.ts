import { param } from "../body-parser.ts";
import { type Reply, zbMessage } from "../envelope.ts";
import type { AuthedContext } from "./context.ts";
import { parseOrd } from "./customers.ts";
import { idSet } from "./table.ts";

/** Failure texts of 客户指派 (the real ones are unknown; vendor style). */
export const ASSIGN_TEXTS = {
  badDatatype: "不支持的指派类型！",
  notFound: "该客户不存在或已被删除！",
  member1Missing: "请选择指派方式！",
  member2Missing: "请选择指派用户！",
  member2TooLong: "指派用户不能超过50个字！",
  unknownUser: "指派用户不存在！",
} as const;

/**
 * systemmanage/order.asp?datatype=tel with cmdkey __sys_dosave (docs/zhibang-protocol.md §5.5). member1 1 = public
 * pool (no owners), 0 = the users in member2 (comma-separated gate ids). Every applied call
 * is recorded, repeats included, so tests can count them.
 */
export function handleAssign(context: AuthedContext): Reply {
  const { request, state, session, now } = context;
  const token = session.token;
  if (param(request, "datatype").toLowerCase() !== "tel") return zbMessage(token, ASSIGN_TEXTS.badDatatype);
  const ord = parseOrd(param(request, "ord"));
  const customer = ord === undefined ? undefined : state.customers.get(ord);
  if (!customer) return zbMessage(token, ASSIGN_TEXTS.notFound);
  const member1 = param(request, "member1");
  if (member1 !== "0" && member1 !== "1") return zbMessage(token, ASSIGN_TEXTS.member1Missing);
  const member2 = param(request, "member2");
  const users = [...idSet(member2)];
  if (member1 === "0") {
    if (users.length === 0) return zbMessage(token, ASSIGN_TEXTS.member2Missing);
    if (member2.length > 50) return zbMessage(token, ASSIGN_TEXTS.member2TooLong);
    if (users.some((id) => !state.userById(id))) return zbMessage(token, ASSIGN_TEXTS.unknownUser);
  }
  state.recordAssignment(customer, member1, member1 === "1" ? [] : users, now);
  return zbMessage(token, context.faults.successText);
}
