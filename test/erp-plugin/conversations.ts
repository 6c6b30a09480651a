/**
 * Recorded conversations for the end-to-end tests: the seed's scenarios as a salesperson
 * would have them (the same people as src/demo/sample-conversations.jsonl), written here so
 * a change to the demo file cannot silently change what the tests prove.
 */
import type { EmulatorSnapshot } from "../../plugins/zhibang-erp/emulator/index.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";

type Line = [from: "customer" | "sales", text: string, minute: number];

/** One conversation; `minute` counts from `start` (ISO, +08:00). */
export function conversation(
  contact: ReplayConversation["contact"],
  lines: Line[],
  start = "2026-11-02T10:00:00+08:00",
): ReplayConversation {
  const t0 = Date.parse(start);
  return {
    contact,
    messages: lines.map(([from, text, minute]) => ({ from, text, at: stamp(t0 + minute * 60_000) })),
  };
}

/** An ISO time with the +08:00 offset the recordings use. */
export function stamp(ms: number): string {
  const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** Hot company lead, mobile typed by the customer (verified): gold tier. */
export const HOT = conversation({ id: "wxid_zhang3", name: "张三", alias: "张三-远航科技" }, [
  ["customer", "你好，想了解一下你们的MES系统", 0],
  ["sales", "您好！我是智造云的小王。请问贵公司是？", 1],
  ["customer", "我是张三，苏州远航科技有限公司的生产经理，我们有三条产线想上系统", 3],
  ["sales", "好的张经理，方便留个电话吗？我让方案同事联系您", 4],
  ["customer", "13800138000，麻烦先发一份报价单，预算大概在50万左右", 6],
  ["customer", "下周二可以来我们厂里面谈吗？想尽快签合同", 7],
  ["sales", "没问题，下周二上午十点我们带方案过去", 9],
]);
export const HOT_MOBILE = "13800138000";

/** Warm company lead, the number supplied by WeChat: normal tier. */
export const WARM = conversation(
  { id: "wxid_li4", name: "李四", alias: "李四-恒信贸易", phone: "13912345678" },
  [
    ["customer", "您好，我是杭州恒信贸易有限公司的李四", 0],
    ["customer", "看到你们的仓储管理软件，大概什么价格？", 1],
    ["sales", "李总您好，标准版按用户数收费，我发您资料", 3],
    ["customer", "好的，能先试用一下吗？我们内部评估一下", 5],
    ["sales", "可以，给您开两周试用账号", 6],
  ],
  "2026-11-02T11:00:00+08:00",
);

/** A private buyer: a personal customer (intsort 2). */
export const PERSONAL = conversation(
  { id: "wxid_wang5", name: "王五" },
  [
    ["customer", "你好，我个人想买一套你们的智能门锁，家里用", 0],
    ["sales", "您好！请问怎么称呼？", 1],
    ["customer", "我叫王五，报个价吧，要三套，多久能发货？", 2],
    ["customer", "我的手机 137 1234 5678，送货前打电话", 3],
    ["sales", "好的王先生，三套含安装，今天给您报价，下单后三天到货", 5],
    ["customer", "可以，价格合适就下单", 7],
  ],
  "2026-11-02T14:00:00+08:00",
);

/** Cold, but otherwise complete (name, WeChat-supplied mobile, personal). */
export const COLD = conversation(
  { id: "wxid_zhao6", name: "赵六", phone: "13698765432" },
  [
    ["sales", "赵总您好，我们新出了一款ERP系统，您有兴趣了解一下吗？", 0],
    ["customer", "不需要，我们已经有供应商了", 10],
    ["sales", "好的，打扰了，以后有需要随时联系", 11],
  ],
  "2026-11-02T15:00:00+08:00",
);
export const COLD_MOBILE = "13698765432";

/** Hot, but the number only came from the salesperson (not verified). */
export const UNVERIFIED = conversation(
  { id: "wxid_sun7", name: "孙七", alias: "孙七-鼎盛建材" },
  [
    ["customer", "你好，我是南京鼎盛建材有限公司采购孙七，你们的设备报价多少？", 0],
    ["sales", "孙经理好，我记下您同事给的电话 13511112222，稍后发报价", 2],
    ["customer", "好的，我们预算有限，下个月要采购二十台，希望尽快安排面谈", 4],
  ],
  "2026-11-02T16:00:00+08:00",
);
export const UNVERIFIED_MOBILE = "13511112222";

/** Already an ERP customer: the emulator's seeded 上海明达机械有限公司 / 陈明 / 13911112222 (ord 101). */
export const EXISTING = conversation(
  { id: "wxid_chenming", name: "陈明", alias: "陈明-明达机械" },
  [
    ["customer", "王经理，我是上海明达机械有限公司的陈明", 0],
    ["customer", "上次的报价收到了，我们想再加采购两台，合同什么时候能出？我电话13911112222", 2],
    ["sales", "陈总好，合同明天发您，交期两周", 4],
    ["customer", "好，明天见面签合同", 5],
  ],
  "2026-11-02T17:00:00+08:00",
);
export const EXISTING_ORD = "101";

/** The seed's 价值评估 table (docs/architecture.md §3.7), written out here rather than imported. */
export function expectedJz(score: number): string {
  if (score >= 90) return "175";
  if (score >= 75) return "289";
  if (score >= 60) return "176";
  if (score >= 45) return "177";
  return "290";
}

/** What the ERP holds for one lead: customers with the mobile, and the assignments and follow-ups of those. */
export function leadRecords(snapshot: EmulatorSnapshot, mobile = HOT_MOBILE) {
  const customers = snapshot.customers.filter((c) => c.mobile === mobile);
  const ords = new Set(customers.map((c) => c.ord));
  return {
    customers: customers.length,
    assignments: snapshot.assignments.filter((a) => ords.has(a.ord)).length,
    followups: snapshot.followups.filter((f) => ords.has(f.ord)).length,
  };
}
