import { describeSort1, ENUMS, enumText, JZ_ENUM, LY_ENUM, TRADE_ENUM } from "../catalog.ts";
import { type BillField, field } from "../envelope.ts";
import type { CustomerRecord, EmulatorState } from "../state.ts";
import { formatDateTime } from "../time.ts";

type FieldKind = "text" | "sort1" | { enumId: string };

interface FieldSpec {
  id: string;
  caption: string;
  kind?: FieldKind;
  notnull?: boolean;
}

/**
 * The customer form (BillClass groups, docs/zhibang-protocol.md §3.5 / §5.1). Group 0 starts with
 * name, pym, khid: PHP reads the pre-generated khid at fields[2].
 */
const BASE_GROUP: readonly FieldSpec[] = [
  { id: "name", caption: "客户名称", notnull: true },
  { id: "pym", caption: "拼音码" },
  { id: "khid", caption: "客户编号" },
  { id: "sort1", caption: "客户分类", kind: "sort1", notnull: true },
  { id: "ly", caption: "客户来源", kind: { enumId: LY_ENUM } },
  { id: "jz", caption: "价值评估", kind: { enumId: JZ_ENUM } },
  { id: "trade", caption: "客户行业", kind: { enumId: TRADE_ENUM } },
  { id: "area", caption: "客户区域" },
  { id: "url", caption: "客户网址" },
  { id: "address", caption: "客户地址" },
  { id: "zip", caption: "邮编" },
  { id: "faren", caption: "法人代表" },
  { id: "zijin", caption: "注册资本" },
  { id: "product", caption: "客户简介" },
  { id: "intro", caption: "备注" },
];

const PERSON_GROUP: readonly FieldSpec[] = [
  { id: "person_name", caption: "联系人姓名", notnull: true },
  { id: "sex", caption: "性别" },
  { id: "part1", caption: "部门" },
  { id: "job", caption: "职务" },
  { id: "mobile", caption: "手机" },
  { id: "phone", caption: "办公电话" },
  { id: "fax", caption: "传真" },
  { id: "email", caption: "电子邮件" },
  { id: "qq", caption: "QQ" },
  { id: "weixinAcc", caption: "微信" },
];

const BANK_GROUP: readonly FieldSpec[] = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
  id: `bank_${n}`,
  caption: ["开户银行", "开户名称", "账号", "税号", "地址", "电话", "行号"][n - 1]!,
}));

function enumSource(enumId: string): Record<string, unknown> {
  return { type_: "options", options: (ENUMS[enumId] ?? []).map((option) => ({ n: option.text, v: option.id })) };
}

function buildField(spec: FieldSpec, value: string): BillField {
  const kind = spec.kind ?? "text";
  const extra: Partial<BillField> = spec.notnull ? { notnull: true } : {};
  if (kind === "sort1") {
    const { category, stage } = describeSort1(value);
    const text = [category?.text, stage?.text].filter(Boolean).join("-");
    return field(spec.id, spec.caption, value, text, extra);
  }
  if (kind === "text") return field(spec.id, spec.caption, value, value, extra);
  return field(spec.id, spec.caption, value, enumText(kind.enumId, value), {
    ...extra,
    dbtype: "int",
    source: enumSource(kind.enumId),
  });
}

function group(
  id: string,
  caption: string,
  specs: readonly FieldSpec[],
  fieldValue: (id: string) => string,
): Record<string, unknown> {
  return { id, caption, visible: true, fields: specs.map((spec) => buildField(spec, fieldValue(spec.id))) };
}

/** The empty add form of a freshly allocated ord (docs/zhibang-protocol.md §5.1). */
export function allocateBill(ord: number, khid: string, intsort: number): Record<string, unknown> {
  const fieldValue = (id: string): string => (id === "khid" ? khid : "");
  const groups = [group("base", "基本信息", BASE_GROUP, fieldValue), group("person", "联系人信息", PERSON_GROUP, fieldValue)];
  if (intsort === 1) groups.push(group("bank", "开票信息", BANK_GROUP, fieldValue));
  return { id: "custom", caption: intsort === 2 ? "添加个人客户" : "添加单位客户", uitype: "bill", value: ord, groups };
}

/** The stored customer as the detail page shows it (docs/zhibang-protocol.md §5.3). */
export function detailBill(state: EmulatorState, customer: CustomerRecord): Record<string, unknown> {
  const fieldValue = (id: string): string => (id === "khid" ? customer.khid : (customer.form[id] ?? ""));
  const ownerIds = customer.owners.join(",");
  const management = [
    field("intsort", "客户类型", String(customer.intsort), customer.intsort === 2 ? "个人客户" : "单位客户", { dbtype: "int" }),
    field("cateid", "销售人员", ownerIds, state.ownerNames(customer)),
    field("member1", "指派方式", customer.isPublic ? "1" : "0", customer.isPublic ? "对所有用户公开" : "指派给以下用户", {
      dbtype: "int",
    }),
    field("date1", "添加时间", formatDateTime(customer.createdAt), formatDateTime(customer.createdAt), { dbtype: "datetime" }),
    field("telintro", "洽谈进展", customer.telintro),
  ];
  const groups = [
    group("base", "基本信息", BASE_GROUP, fieldValue),
    group("person", "联系人信息", PERSON_GROUP, fieldValue),
    { id: "manage", caption: "管理信息", visible: true, fields: management },
  ];
  if (customer.intsort === 1) groups.push(group("bank", "开票信息", BANK_GROUP, fieldValue));
  return { id: "custom", caption: "客户详情", uitype: "bill", value: customer.ord, groups };
}
