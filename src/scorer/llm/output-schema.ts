/**
 * The answer the LLM must give (docs/architecture.md §3.5), as a zod schema for validation and as the
 * JSON schema sent for structured output. The model is not asked for a phone number: the
 * phone always comes from local extraction (it may have seen only masked numbers).
 */
import { z } from "zod";

const optionalText = z.string().nullish();

export const llmAnswerSchema = z.object({
  score: z.number().int().min(0).max(100),
  summary: z.string(),
  reasons: z.array(z.string()),
  customer: z.object({
    name: optionalText,
    company: optionalText,
    email: optionalText,
    address: optionalText,
    type: z.enum(["company", "personal"]).nullish(),
  }),
});

export type LlmAnswer = z.infer<typeof llmAnswerSchema>;

const nullableString = { type: ["string", "null"] } as const;

/** Strict mode: every property required, optional ones nullable, no extra keys. */
export const ANSWER_JSON_SCHEMA = {
  name: "conversation_score",
  strict: true,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["score", "summary", "reasons", "customer"],
    properties: {
      score: { type: "integer", description: "purchase intent, 0 to 100" },
      summary: { type: "string" },
      reasons: { type: "array", items: { type: "string" } },
      customer: {
        type: "object",
        additionalProperties: false,
        required: ["name", "company", "email", "address", "type"],
        properties: {
          name: nullableString,
          company: nullableString,
          email: nullableString,
          address: nullableString,
          type: { type: ["string", "null"], enum: ["company", "personal", null] },
        },
      },
    },
  },
};

export type ParsedAnswer = { ok: true; answer: LlmAnswer } | { ok: false; reason: string };

/** Parses the model's text; `reason` is short enough for `ScoreResult.fallback`. */
export function parseAnswer(content: string): ParsedAnswer {
  const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  if (text === "") return { ok: false, reason: "invalid output: empty answer" };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: "invalid output: not JSON" };
  }
  const parsed = llmAnswerSchema.safeParse(data);
  if (parsed.success) return { ok: true, answer: parsed.data };
  return { ok: false, reason: `invalid output: ${describeIssue(parsed.error.issues[0], data)}` };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, data: unknown): string {
  if (issue === undefined) return "does not match the schema";
  const path = issue.path.join(".") || "answer";
  if (issue.code === "too_big" || issue.code === "too_small") return `${path} out of range`;
  if (issue.code === "invalid_type" && valueAt(data, issue.path) === undefined) return `missing ${path}`;
  if (issue.code === "invalid_type") return `${path} is not ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`;
  return `${path}: ${issue.message}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
