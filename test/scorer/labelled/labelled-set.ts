/**
 * The labelled conversations (README.md in this folder states the rubric): recorded chats
 * in the replay format, split into a tuning part and a held-out part, and one label row
 * per conversation in labels.csv.
 */
import { readFileSync } from "node:fs";
import { parseReplay, type ReplayConversation } from "../../../src/replay/replay-format.ts";

export const SPLITS = ["tuning", "holdout"] as const;
export type Split = (typeof SPLITS)[number];
export type Temperature = "hot" | "warm" | "cold";
export type Stage = "S0" | "S1" | "S2" | "S3" | "S4" | "S5";

export interface ConversationLabel {
  contact: string;
  split: Split;
  temperature: Temperature;
  /** 0 (0–19) … 5 (90–100): where a sales manager would put the score. */
  band: number;
  /** The band as a score range, e.g. "60-74". */
  expectedScore: string;
  /** Should the conversation pass admission (score and the other four checks)? */
  admissible: boolean;
  stage: Stage;
  /** The deal's size in yuan, when the conversation gives a basis for it. */
  dealYuan?: number;
  dealSize: "small" | "medium" | "large" | "huge" | "unknown";
  customer: "company" | "personal" | "colleague" | "none";
  /** Where a mobile number came from: the customer, WeChat, the salesperson, a quote, or nowhere. */
  mobile: "customer" | "wechat" | "sales" | "quote" | "none";
  industry: string;
  traits: string[];
}

export interface LabelledConversation {
  label: ConversationLabel;
  conversation: ReplayConversation;
}

const DIR = new URL("./", import.meta.url);

export function readLabels(): ConversationLabel[] {
  const [header, ...rows] = readFileSync(new URL("labels.csv", DIR), "utf8").trim().split("\n");
  const columns = (header ?? "").split(",");
  return rows.map((row, index) => {
    const cells = row.split(",");
    if (cells.length !== columns.length)
      throw new Error(`labels.csv line ${index + 2}: ${cells.length} cells, expected ${columns.length}`);
    const cell = (name: string) => cells[columns.indexOf(name)] ?? "";
    const deal = cell("deal_yuan");
    const label: ConversationLabel = {
      contact: cell("contact"),
      split: cell("split") as Split,
      temperature: cell("temperature") as Temperature,
      band: Number(cell("band")),
      expectedScore: cell("expected_score"),
      admissible: cell("admissible") === "yes",
      stage: cell("stage") as Stage,
      dealSize: cell("deal_size") as ConversationLabel["dealSize"],
      customer: cell("customer") as ConversationLabel["customer"],
      mobile: cell("mobile") as ConversationLabel["mobile"],
      industry: cell("industry"),
      traits: cell("traits")
        .split(" ")
        .filter((trait) => trait !== ""),
    };
    if (deal !== "") label.dealYuan = Number(deal);
    return label;
  });
}

/** The conversations of one split (or all), each with its label; fails on a conversation without one. */
export function labelledSet(split?: Split): LabelledConversation[] {
  const labels = new Map(readLabels().map((label) => [label.contact, label]));
  const set: LabelledConversation[] = [];
  for (const part of split === undefined ? SPLITS : [split]) {
    const parsed = parseReplay(readFileSync(new URL(`${part}.jsonl`, DIR), "utf8"));
    if (parsed.errors.length > 0) throw new Error(`${part}.jsonl: ${JSON.stringify(parsed.errors[0])}`);
    for (const { conversation } of parsed.conversations) {
      const label = labels.get(conversation.contact.id);
      if (label === undefined || label.split !== part) throw new Error(`${conversation.contact.id}: no ${part} label`);
      set.push({ label, conversation });
    }
  }
  return set;
}
