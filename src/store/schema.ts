import { z } from "zod";
import type { Contact, Thread } from "./types.ts";

/**
 * The shapes of the store's files, checked on load (a damaged file must stop start-up, not
 * become an empty store) and on every update (a bug elsewhere must not write a file that the
 * next start would refuse). Objects are loose: a field added by a later version survives.
 */

const isoTime = z.string().min(1);

const threadMessageSchema = z.looseObject({
  id: z.string().min(1),
  side: z.enum(["customer", "sales"]),
  text: z.string(),
  at: isoTime,
  backlog: z.boolean().optional(),
  roomId: z.string().optional(),
  kind: z.enum(["greeting", "card", "card-photo", "media"]).optional(),
  quoted: z.looseObject({ name: z.string(), text: z.string() }).optional(),
  recalled: z.boolean().optional(),
});

const mobileFieldSchema = z.looseObject({
  value: z.string(),
  source: z.enum(["remark", "wechat", "customer", "sales", "staff", "llm"]),
  verified: z.boolean(),
  at: isoTime,
});

const extractedSchema = z.looseObject({
  name: z.string().optional(),
  company: z.string().optional(),
  mobile: mobileFieldSchema.optional(),
  email: z.string().optional(),
  address: z.string().optional(),
  type: z.enum(["company", "personal"]).optional(),
});

const scoreRecordSchema = z.looseObject({
  at: isoTime,
  score: z.number(),
  provider: z.enum(["heuristic", "openai"]),
  fallback: z.string().optional(),
  reasons: z.array(z.string()),
});

const erpLinkSchema = z.looseObject({ ord: z.string(), khid: z.string() });

const admissionSchema = z.looseObject({
  passed: z.boolean(),
  failed: z.array(z.string()),
  checks: z.record(z.string(), z.boolean()),
  at: isoTime,
});

export const threadSchema = z.looseObject({
  id: z.string().min(1),
  contactId: z.string().min(1),
  messages: z.array(threadMessageSchema),
  messageCount: z.number().int().min(0),
  unscored: z.number().int().min(0),
  customerContentCount: z.number().int().min(0).optional(),
  lastMessageAt: isoTime.optional(),
  summary: z.string(),
  reasons: z.array(z.string()),
  score: z.number().optional(),
  scoredAt: isoTime.optional(),
  scores: z.array(scoreRecordSchema),
  extracted: extractedSchema,
  admission: admissionSchema.optional(),
  erp: erpLinkSchema.optional(),
  syncState: z.enum(["none", "skipped", "pending", "synced", "failed"]).optional(),
  lastError: z.string().optional(),
});

export const contactSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  alias: z.string().optional(),
  weixin: z.string().optional(),
  wechatPhone: z.string().optional(),
  addedAt: isoTime.optional(),
  localNo: z.number().int().positive().optional(),
  firstSeenAt: isoTime,
});

/** One shard file: records keyed by id (threads or contacts). */
export function shardFileSchema<T extends z.ZodType>(record: T) {
  return z.strictObject({ records: z.record(z.string(), record) });
}

export const threadShardSchema = shardFileSchema(threadSchema);
export const contactShardSchema = shardFileSchema(contactSchema);

export const metaSchema = z.strictObject({
  version: z.literal(1),
  /** The next local customer number; numbers below it were handed out (or burnt) already. */
  nextLocalNo: z.number().int().positive(),
  shards: z.strictObject({ threads: z.number().int().positive(), contacts: z.number().int().positive() }),
  values: z.record(z.string(), z.unknown()),
});

export const seenSegmentSchema = z.strictObject({
  /** Grows with every segment started: the highest one is being filled, the lowest goes next. */
  seq: z.number().int().min(0),
  ids: z.array(z.string()),
});

export interface ShardFile<T> {
  records: Record<string, T>;
}
export type Meta = z.infer<typeof metaSchema>;
export type SeenSegment = z.infer<typeof seenSegmentSchema>;
export type ThreadShard = ShardFile<Thread>;
export type ContactShard = ShardFile<Contact>;
