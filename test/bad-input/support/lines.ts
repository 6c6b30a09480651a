import type { ReplayConversation } from "../../../src/replay/replay-format.ts";

/** Recorded conversations the bad-input tests build on (the replay format). */

export const HOT_MOBILE = "13812340001";

/**
 * A company lead with a number she typed herself, committing to a ¥60万 order: admitted,
 * created, gold tier. Leads of
 * one company are colleagues (docs/architecture.md §3.7): give each lead its own `company` when they
 * must be separate customers.
 */
export function hotLead(id = "wxid_hot", mobile = HOT_MOBILE, minute = 0, company = "苏州远航科技有限公司"): ReplayConversation {
  const at = (m: number) => `2026-11-02T10:${String(minute + m).padStart(2, "0")}:00+08:00`;
  return {
    contact: { id, name: "林海燕" },
    messages: [
      { from: "customer", text: `你好，我是${company}的林海燕，你们MES系统的方案我们看过了`, at: at(0) },
      { from: "sales", text: "林总您好，方便留个手机吗？", at: at(1) },
      { from: "customer", text: `${mobile}，60万的报价我们定了，合同按我们的模板签`, at: at(2) },
      { from: "customer", text: "下周可以来我们公司签约吗？", at: at(3) },
    ],
  };
}

/** A customer who refuses: scored low, skipped. */
export function coldLead(id = "wxid_cold"): ReplayConversation {
  return {
    contact: { id, name: "赵六", phone: "13698760002" },
    messages: [
      { from: "sales", text: "赵总您好，我们新出了一款ERP系统，您有兴趣吗？", at: "2026-11-02T11:00:00+08:00" },
      { from: "customer", text: "不需要，我们已经有供应商了", at: "2026-11-02T11:05:00+08:00" },
    ],
  };
}

export function jsonl(lines: Array<ReplayConversation | string>): string {
  return `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`;
}

/** A customer who asks for a quotation and leaves a number: the heuristic scorer gives her 60-74. */
export function warmLead(id: string, mobile: string, company: string, minute = 0): ReplayConversation {
  const at = (m: number) => `2026-11-03T09:${String(minute + m).padStart(2, "0")}:00+08:00`;
  return {
    contact: { id, name: "周婷" },
    messages: [
      { from: "customer", text: `你好，我是${company}的周婷，想了解一下仓储管理软件的价格`, at: at(0) },
      { from: "sales", text: "您好，方便留个联系方式吗？我把资料发您", at: at(1) },
      { from: "customer", text: `${mobile}，麻烦先发一份报价单`, at: at(2) },
    ],
  };
}
