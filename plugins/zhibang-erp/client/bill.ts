import { z } from "zod";
import type { ZsmlReply } from "./envelope.ts";
import { ErpProtocolError } from "./errors.ts";
import { unexpectedModelError } from "./message.ts";
import { cellText } from "./table.ts";

/**
 * BillClass (docs/zhibang-protocol.md §3.5, §5.1, §5.3): a form with `value` = the record's id and
 * `groups[].fields[]`. A field is read by its `id`; its stored value is `value` when that is
 * non-empty, else `text` (enums carry value = id and text = label).
 */

export interface ErpBill {
  /** `bill.value`: the record id (the new ord after "allocate"). "" when absent. */
  value: string;
  caption: string;
  /** Field id → value (or text). The first field with a given id wins. */
  fields: Record<string, string>;
  /** Field id → its display text, for enums whose value is an id. */
  texts: Record<string, string>;
}

const fieldSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  value: z.unknown().optional(),
  text: z.unknown().optional(),
});

/** Tolerates a single object where a list is expected, and null. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));

const groupSchema = z.looseObject({ fields: listOf(fieldSchema) });

const billSchema = z.looseObject({
  value: z.unknown().optional(),
  caption: z.unknown().optional(),
  groups: listOf(groupSchema),
});

export function readBill(reply: ZsmlReply, operation: string): ErpBill {
  if (reply.model !== "bill") throw unexpectedModelError(reply, "bill", operation);
  const parsed = billSchema.safeParse(reply.body.bill ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ErpProtocolError(`the ERP's ${operation} bill is unreadable: ${issue?.path.join(".")} ${issue?.message}`, {
      operation,
    });
  }
  const fields: Record<string, string> = {};
  const texts: Record<string, string> = {};
  for (const group of parsed.data.groups) {
    for (const field of group.fields) {
      if (field.id in fields) continue;
      fields[field.id] = fieldValue(field);
      texts[field.id] = cellText(field.text);
    }
  }
  return { value: cellText(parsed.data.value), caption: cellText(parsed.data.caption), fields, texts };
}

/** `value` if non-empty, else `text` (docs/zhibang-protocol.md §3.5: "如果该值存在内容，保存数据时，服务器中会存储该值，否则才存text属性值"). */
export function fieldValue(field: { value?: unknown; text?: unknown }): string {
  const value = cellText(field.value);
  return value.trim() !== "" ? value : cellText(field.text);
}
