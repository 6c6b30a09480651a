import { createHash } from "node:crypto";
import { z } from "zod";

/** One recorded conversation per JSONL line (docs/architecture.md §3.3). */
export const replayLineSchema = z.strictObject({
  /** The id of the WeChat account (wechat.accounts) the conversation is on; default: the first. */
  account: z.string().min(1).optional(),
  contact: z.strictObject({
    id: z
      .string()
      .min(1)
      .refine((id) => !id.includes("@"), "a contact id must not contain @ (that marks a group chat)"),
    name: z.string().min(1),
    alias: z.string().optional(),
    phone: z.string().optional(),
  }),
  messages: z
    .array(
      z.strictObject({
        from: z.enum(["customer", "sales"]),
        text: z.string(),
        at: z.iso.datetime({ offset: true, error: "expected an ISO time with offset, e.g. 2026-11-02T10:00:00+08:00" }),
      }),
    )
    .min(1),
});

export type ReplayConversation = z.infer<typeof replayLineSchema>;

export interface ParsedReplay {
  conversations: Array<{ line: number; conversation: ReplayConversation }>;
  /** Malformed lines: reported with their number and skipped, the rest still runs. */
  errors: Array<{ line: number; message: string }>;
}

export function parseReplay(text: string): ParsedReplay {
  const result: ParsedReplay = { conversations: [], errors: [] };
  // A file saved by Windows tools starts with a byte-order mark; it is not part of line 1.
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      result.errors.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = replayLineSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join(".") || "(line)";
      const message =
        issue?.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue?.message;
      result.errors.push({ line, message: `${where}: ${message ?? "invalid"}` });
      return;
    }
    result.conversations.push({ line, conversation: parsed.data });
  });
  return result;
}

/**
 * Message ids derived from contact, time and text: replaying a file twice delivers the
 * same ids, so intake's dedupe makes the second run a no-op.
 */
export function replayMessageId(contactId: string, from: string, at: string, text: string): string {
  const digest = createHash("sha256")
    .update(`${contactId}\u0000${from}\u0000${Date.parse(at)}\u0000${text}`)
    .digest("hex");
  return `replay-${digest.slice(0, 24)}`;
}
