/**
 * A stand-in model for measuring what `scorer.maskPersonalData` costs: it scores exactly the
 * transcript it was sent, with the offline scorer's reading of business signals (stage, deal
 * size, contact details). Whatever masking removed from the prompt, it cannot see either.
 *
 * `placeholders: "understood"` plays a model that knows ⟨手机1⟩ is a mobile the customer gave
 * (the rubric says so): each placeholder is read as a dummy value of its kind and the answer's
 * fields name the placeholder again. `"literal"` reads ⟨手机1⟩ as plain characters: a model
 * that ignores the placeholders, the pessimistic bound.
 */
import { HeuristicScorer } from "../../src/scorer/heuristic/heuristic-scorer.ts";
import type { ScoreInput } from "../../src/scorer/types.ts";
import type { ThreadMessage } from "../../src/store/types.ts";
import type { ChatRequestBody, FakeReply } from "./fake-openai-server.ts";

export type PlaceholderReading = "understood" | "literal";

interface SentMessage {
  from: "customer" | "sales";
  at: string;
  type?: ThreadMessage["kind"];
  quoting?: { name: string; text: string };
  text: string;
}

interface SentTranscript {
  contact: { name: string; alias?: string };
  known: { name: string | null; company: string | null; mobile: string | null; email: string | null; address: string | null };
  previousSummary: string;
  messages: SentMessage[];
}

/** What a placeholder reads as, per kind: valid enough for the offline extractors to recognise. */
const DUMMY: Record<string, (n: number) => string> = {
  手机: (n) => `139${String(10_000_000 + n).slice(-8)}`,
  邮箱: (n) => `masked${n}@example.com`,
  姓名: (n) => `赵${"一二三四五六七八九十"[(n - 1) % 10]}`,
  公司: (n) => `某${n}号有限公司`,
  地址: (n) => `某市某区某路${n}号`,
  电话: (n) => `010-8888${String(1000 + n).slice(-4)}`,
};

export function readingModel(reading: PlaceholderReading, maxSummaryChars = 1000): (request: ChatRequestBody) => FakeReply {
  const scorer = new HeuristicScorer({ maxSummaryChars });
  return (request) => {
    const user = request.messages.find((message) => message.role === "user")?.content ?? "";
    const sent = JSON.parse(user.split("\n").find((line) => line.startsWith("{")) ?? "{}") as SentTranscript;
    const dummies = new Map<string, string>();
    const read = (text: string) => (reading === "literal" ? text : understand(text, dummies));
    const input: ScoreInput = {
      contact: {
        id: "wxid_reader",
        name: read(sent.contact.name),
        ...(sent.contact.alias ? { alias: read(sent.contact.alias) } : {}),
      },
      previousSummary: read(sent.previousSummary),
      known: knownFields(sent.known, read),
      messages: sent.messages.map((message, index) => ({
        id: `r${index}`,
        side: message.from,
        at: message.at,
        text: read(message.text),
        ...(message.type ? { kind: message.type } : {}),
        ...(message.quoting ? { quoted: { name: read(message.quoting.name), text: read(message.quoting.text) } } : {}),
      })),
    };
    const { result } = scorer.assess(input);
    // The answer names placeholders again where the model read one (the scorer restores them).
    const back = (value: string | undefined) => (value === undefined ? null : (dummies.get(value) ?? value));
    const answer = {
      score: result.score,
      summary: result.summary,
      reasons: result.reasons,
      customer: {
        name: back(result.customer.name),
        company: back(result.customer.company),
        email: back(result.customer.email),
        address: back(result.customer.address),
        type: result.customer.type ?? null,
      },
    };
    return { content: JSON.stringify(answer) };
  };
}

/** ⟨手机1⟩ → a dummy mobile (and 138****8000, a masked mobile, too); remembers dummy → placeholder. */
function understand(text: string, dummies: Map<string, string>): string {
  return text
    .replace(/⟨(手机|邮箱|姓名|公司|地址|电话)(\d+)⟩/gu, (placeholder, kind: string, index: string) => {
      const dummy = DUMMY[kind]!(Number(index));
      dummies.set(dummy, placeholder);
      return dummy;
    })
    .replace(/(1[3-9]\d)\*{4}(\d{4})/g, "$10000$2");
}

function knownFields(known: SentTranscript["known"], read: (text: string) => string): ScoreInput["known"] {
  const fields: ScoreInput["known"] = {};
  if (known.name) fields.name = read(known.name);
  if (known.company) fields.company = read(known.company);
  if (known.email) fields.email = read(known.email);
  if (known.address) fields.address = read(known.address);
  if (known.mobile) fields.mobile = { value: read(known.mobile), source: "customer", verified: true, at: "" };
  return fields;
}
