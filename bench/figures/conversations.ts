import type { ReplayConversation } from "../../src/replay/replay-format.ts";

/**
 * Deterministic conversations for the figures: hot company leads that pass admission
 * (a name, a company, a mobile the customer typed, a quote and a meeting asked for), each
 * with its own person, company and mobile, and a later visit with new content.
 */

const CITIES = ["苏州", "杭州", "南京", "深圳", "宁波", "无锡", "合肥", "济南", "青岛", "厦门", "长沙", "成都"];
const WORDS_A = [
  "远",
  "恒",
  "鼎",
  "华",
  "瑞",
  "金",
  "宏",
  "德",
  "嘉",
  "盛",
  "新",
  "永",
  "博",
  "信",
  "泰",
  "安",
  "兴",
  "丰",
  "联",
  "康",
];
const WORDS_B = [
  "航",
  "信",
  "盛",
  "通",
  "达",
  "源",
  "创",
  "科",
  "腾",
  "峰",
  "辉",
  "业",
  "和",
  "发",
  "明",
  "远",
  "捷",
  "升",
  "光",
  "润",
];
const INDUSTRIES = ["科技", "电子", "机械", "贸易", "建材", "精密", "物流", "化工"];
const SURNAMES = ["张", "李", "王", "赵", "孙", "周", "吴", "郑", "陈", "刘", "杨", "黄"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞"];
const PRODUCTS = ["MES系统", "仓储管理软件", "ERP系统", "质检设备", "自动化产线"];

export interface Lead {
  index: number;
  id: string;
  person: string;
  company: string;
  mobile: string;
}

/** The n-th lead (0-based); names and mobiles are unique for n below 38,400. */
export function lead(index: number): Lead {
  let rest = index;
  const pick = <T>(list: readonly T[]): T => {
    const item = list[rest % list.length] as T;
    rest = Math.floor(rest / list.length);
    return item;
  };
  const core = pick(WORDS_A) + pick(WORDS_B);
  const city = pick(CITIES);
  const industry = pick(INDUSTRIES);
  const company = `${city}${core}${industry}有限公司`;
  const person = SURNAMES[index % SURNAMES.length]! + GIVEN[Math.floor(index / SURNAMES.length) % GIVEN.length]!;
  return { index, id: `wxid_bench_${index}`, person, company, mobile: `139${String(index).padStart(8, "0")}` };
}

const DAY_MS = 86_400_000;
const FIRST_AT = Date.parse("2026-11-02T09:00:00+08:00");

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** The first conversation: five messages a minute apart. */
export function firstVisit(l: Lead): ReplayConversation {
  const start = FIRST_AT + l.index * 600_000;
  const product = PRODUCTS[l.index % PRODUCTS.length]!;
  const said: Array<["customer" | "sales", string]> = [
    ["customer", `你好，我是${l.company}的${l.person}，想了解一下你们的${product}`],
    ["sales", `${l.person.charAt(0)}总您好！我是小王，方便留个手机吗？`],
    ["customer", `${l.mobile}，麻烦发一份正式报价单，我们要${5 + (l.index % 20)}台`],
    ["customer", "下周可以来我们公司面谈吗？想尽快把合同签了"],
    ["sales", "好的，没问题，我们安排时间过去"],
  ];
  return {
    contact: { id: l.id, name: l.person, alias: `${l.person}-${l.company.slice(2, 4)}` },
    messages: said.map(([from, text], i) => ({ from, text, at: stamp(start + i * 60_000) })),
  };
}

/** A later conversation (days after, past the follow-up rate limit) with new content. */
export function laterVisit(l: Lead): ReplayConversation {
  const start = FIRST_AT + 3 * DAY_MS + l.index * 600_000;
  const said: Array<["customer" | "sales", string]> = [
    ["customer", `样品已经收到，效果不错，想再加${2 + (l.index % 9)}台，领导批了预算，下周能签合同吗？`],
    ["sales", "好的，我马上安排合同和交期"],
  ];
  return {
    contact: { id: l.id, name: l.person, alias: `${l.person}-${l.company.slice(2, 4)}` },
    messages: said.map(([from, text], i) => ({ from, text, at: stamp(start + i * 60_000) })),
  };
}
