import { param } from "../body-parser.ts";
import { ENUMS, FOLLOWUP_SORT_ENUM } from "../catalog.ts";
import { notFound, type Reply, zbMessage, zbSource } from "../envelope.ts";
import type { AuthedContext } from "./context.ts";
import { parseOrd } from "./customers.ts";
import { type Column, type ListItem, pagedTable, sortItems } from "./table.ts";

/** Columns of the follow-up list as the emulator serves it (the real layout is undocumented). */
const FOLLOWUP_LIST_COLUMNS: readonly Column[] = [
  { id: "id", dbtype: "int" },
  { id: "company", dbtype: "int" },
  { id: "intro", dbtype: "varchar" },
  { id: "sort98", dbtype: "varchar" },
  { id: "date1", dbtype: "datetime" },
];

export const MAX_FOLLOWUP_LENGTH = 1000;

/** Failure texts of 洽谈进展 (the real ones are unknown; vendor style). */
export const FOLLOWUP_TEXTS = {
  badDatatype: "不支持的洽谈对象类型！",
  notFound: "该客户不存在或已被删除！",
  introMissing: "洽谈内容不能为空！",
  introTooLong: "洽谈内容不能超过1000个字！",
  sortMissing: "请选择跟进方式！",
  plantypeMissing: "请选择日程类型！",
} as const;

/**
 * systemmanage/reply.asp?datatype=tel with cmdkey __sys_dosave (docs/zhibang-protocol.md §5.6). Only customer
 * follow-ups are emulated. The schedule fields (@ret2_0 ...) are not checked: the bot always
 * sends plantype 0 (no schedule).
 */
export function handleFollowup(context: AuthedContext): Reply {
  const { request, state, session, now } = context;
  const token = session.token;
  if (param(request, "datatype").toLowerCase() !== "tel") return zbMessage(token, FOLLOWUP_TEXTS.badDatatype);
  const ord = parseOrd(param(request, "ord"));
  const customer = ord === undefined ? undefined : state.customers.get(ord);
  if (!customer) return zbMessage(token, FOLLOWUP_TEXTS.notFound);
  const intro = param(request, "intro");
  if (intro === "") return zbMessage(token, FOLLOWUP_TEXTS.introMissing);
  if ([...intro].length > MAX_FOLLOWUP_LENGTH) return zbMessage(token, FOLLOWUP_TEXTS.introTooLong);
  const sort = param(request, "sort");
  if (!ENUMS[FOLLOWUP_SORT_ENUM]?.some((option) => option.id === sort)) return zbMessage(token, FOLLOWUP_TEXTS.sortMissing);
  const plantype = param(request, "plantype");
  if (!["0", "1", "2"].includes(plantype)) return zbMessage(token, FOLLOWUP_TEXTS.plantypeMissing);
  state.recordFollowup(customer, { intro, sort, plantype, at: new Date(now).toISOString() }, now);
  return zbMessage(token, context.faults.successText);
}

/**
 * systemmanage/replylist.asp?datatype=tel with cmdkey refresh: the follow-ups of the customer
 * `ord`, newest first by default, paged like every list.
 */
export function handleFollowupList(context: AuthedContext): Reply {
  const { request, state, session, faults } = context;
  if (!faults.followupList) return notFound(request.path);
  if (param(request, "datatype").toLowerCase() !== "tel") return zbMessage(session.token, FOLLOWUP_TEXTS.badDatatype);
  const ord = param(request, "ord");
  const items: ListItem[] = [];
  state.followups.forEach((record, index) => {
    if (ord !== "" && record.ord !== ord) return;
    const createdAt = Date.parse(record.at);
    items.push({
      id: index + 1,
      createdAt,
      cells: { id: String(index + 1), company: record.ord, intro: record.intro, sort98: record.sort, date1: record.at },
    });
  });
  const sorted = sortItems(items, param(request, "_rpt_sort") || "-1", FOLLOWUP_LIST_COLUMNS);
  return zbSource(session.token, pagedTable(request, FOLLOWUP_LIST_COLUMNS, sorted));
}
