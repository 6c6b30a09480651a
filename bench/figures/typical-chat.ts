/**
 * A typical WeChat sales conversation for the LLM-calls figure: sessions of a few to ~25
 * messages (mostly 6 to 12), both sides, seconds apart within a session; sessions minutes
 * to hours apart. Deterministic for a seed.
 */

export interface ChatMessage {
  from: "customer" | "sales";
  text: string;
  /** Conversation time since the previous message, in ms (0 for the first). */
  gapMs: number;
  /** Index of the session the message belongs to. */
  session: number;
}

const CUSTOMER = [
  "你好，想了解一下你们的MES系统",
  "我们有三条产线，大概20个工位",
  "价格大概多少？",
  "能发份报价单吗",
  "交期多久？",
  "好的，我跟领导汇报一下",
  "预算有限，能便宜点吗",
  "下周可以来公司面谈吗",
  "我电话13800138000",
  "收到，谢谢",
  "合同模板发我邮箱吧",
  "试用版能先开一下吗",
];
const SALES = [
  "您好，我是小王，很高兴为您服务",
  "我整理一下资料马上发您",
  "标准版两周可以上线",
  "量大的话可以申请优惠",
  "好的，周三下午两点可以吗",
  "报价单已发送，请查收",
  "有问题随时联系我",
];

/** Session lengths drawn from this table (weights): mostly 6-12, now and then a long one. */
const SESSION_LENGTHS: Array<[number, number]> = [
  [3, 2],
  [5, 3],
  [6, 4],
  [8, 5],
  [10, 4],
  [12, 3],
  [16, 2],
  [25, 1],
];

export function typicalChat(seed: number, messages: number): ChatMessage[] {
  const random = mulberry32(seed);
  const out: ChatMessage[] = [];
  let from: ChatMessage["from"] = "customer";
  for (let session = 0; out.length < messages; session++) {
    const length = Math.min(weighted(SESSION_LENGTHS, random), messages - out.length);
    for (let i = 0; i < length; i++) {
      const gapMs = out.length === 0 ? 0 : i === 0 ? 600_000 + random() * 20 * 3_600_000 : 5_000 + random() * 55_000;
      const lines = from === "customer" ? CUSTOMER : SALES;
      out.push({ from, text: lines[Math.floor(random() * lines.length)]!, gapMs, session });
      // Replies alternate most of the time; now and then one side sends two in a row.
      if (random() < 0.75) from = from === "customer" ? "sales" : "customer";
    }
  }
  return out;
}

/** Scorings the debounced rules call for: per session, one per `maxPending` messages and one at the idle end. */
export function expectedScorings(chat: ChatMessage[], maxPending: number): number {
  const lengths = new Map<number, number>();
  for (const m of chat) lengths.set(m.session, (lengths.get(m.session) ?? 0) + 1);
  let total = 0;
  for (const length of lengths.values()) total += Math.ceil(length / maxPending);
  return total;
}

function weighted(table: Array<[number, number]>, random: () => number): number {
  const sum = table.reduce((s, [, w]) => s + w, 0);
  let pick = random() * sum;
  for (const [value, weight] of table) {
    pick -= weight;
    if (pick < 0) return value;
  }
  return table.at(-1)![0];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
