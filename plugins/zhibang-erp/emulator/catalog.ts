/**
 * The lookup data a 智邦 installation holds: users (gate), enums and customer categories.
 * The ids are per-installation data (docs/zhibang-protocol.md §7); these are the values the vendor help
 * shows, so a client configured from the docs works against the emulator unchanged.
 */

export interface EnumOption {
  id: string;
  text: string;
}

export interface UserRecord {
  id: string;
  name: string;
  department: string;
  /** Login name; only the API user has one by default. */
  username: string;
}

/** 客户分类 (category) with its 跟进程度 (stages); zsml `sort1` = "<category>,<stage>" (docs/zhibang-protocol.md §5.2). */
export interface CategoryRecord {
  id: string;
  text: string;
  stages: EnumOption[];
}

/** gate_list.asp users. User 1 is the API account that logs in with the default credentials. */
export function defaultUsers(apiUsername: string): UserRecord[] {
  return [
    { id: "1", name: "管理员", department: "总经办", username: apiUsername },
    { id: "123", name: "王金牌", department: "销售一部", username: "" },
    { id: "456", name: "李销售", department: "销售一部", username: "" },
    { id: "789", name: "赵新人", department: "销售二部", username: "" },
  ];
}

/** enumid → options, as source.asp?enumid=N serves them (docs/zhibang-protocol.md §5.9, §7). */
export const ENUMS: Readonly<Record<string, readonly EnumOption[]>> = {
  // 13: 客户来源 (ly)
  "13": [
    { id: "171", text: "网站注册" },
    { id: "172", text: "朋友介绍" },
    { id: "173", text: "陌生开发" },
    { id: "174", text: "广告宣传" },
    { id: "977", text: "VIP" },
  ],
  // 14: 价值评估 (jz)
  "14": [
    { id: "175", text: "很高" },
    { id: "289", text: "较高" },
    { id: "176", text: "一般" },
    { id: "177", text: "较低" },
    { id: "290", text: "很低" },
  ],
  // 11: 行业 (trade)
  "11": [
    { id: "139", text: "印刷" },
    { id: "137", text: "银行" },
    { id: "968", text: "电表" },
    { id: "967", text: "交流接触器" },
    { id: "966", text: "防水头" },
  ],
  // 98: 跟进方式 (reply.asp `sort`)
  "98": [
    { id: "481", text: "电话" },
    { id: "482", text: "邮件" },
    { id: "483", text: "上门" },
    { id: "484", text: "其他" },
  ],
};

export const LY_ENUM = "13";
export const JZ_ENUM = "14";
export const TRADE_ENUM = "11";
export const FOLLOWUP_SORT_ENUM = "98";

export const CATEGORIES: readonly CategoryRecord[] = [
  {
    id: "17",
    text: "终端客户",
    stages: [
      { id: "146", text: "潜在客户" },
      { id: "148", text: "多次接触" },
      { id: "149", text: "重点客户" },
      { id: "150", text: "已成交" },
    ],
  },
  {
    id: "18",
    text: "经销商",
    stages: [
      { id: "151", text: "潜在客户" },
      { id: "152", text: "已签约" },
    ],
  },
];

export function enumText(enumId: string, id: string): string {
  return ENUMS[enumId]?.find((option) => option.id === id)?.text ?? "";
}

/** Finds an option by id or by its display text (the v3 API may take either, docs/zhibang-protocol.md §6). */
export function resolveEnum(enumId: string, idOrText: string): EnumOption | undefined {
  return ENUMS[enumId]?.find((option) => option.id === idOrText || option.text === idOrText);
}

export function findCategory(idOrText: string): CategoryRecord | undefined {
  return CATEGORIES.find((category) => category.id === idOrText || category.text === idOrText);
}

/** Splits "17,146" into the category and stage records; undefined parts stay undefined. */
export function describeSort1(sort1: string): { category?: CategoryRecord; stage?: EnumOption } {
  const [categoryId = "", stageId = ""] = sort1.split(",").map((part) => part.trim());
  const category = CATEGORIES.find((candidate) => candidate.id === categoryId);
  const stage = category?.stages.find((candidate) => candidate.id === stageId);
  return { ...(category ? { category } : {}), ...(stage ? { stage } : {}) };
}
