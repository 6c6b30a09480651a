import { maskDeep, maskText } from "../privacy/mask.ts";
import { boundStrings } from "./bound-strings.ts";
import type { AuditInput, AuditRecord } from "./types.ts";

export interface AuditLine {
  time: Date;
  /** One JSON object and its newline. */
  line: string;
}

/**
 * Turns a record into its JSONL line: time filled in, fields in a reading order (the short ones
 * first, request and response last), everything masked, huge strings bounded.
 */
export function toAuditLine(input: AuditInput, now: Date, maxStringLength: number): AuditLine {
  const given = input.time === undefined ? Number.NaN : Date.parse(input.time);
  const time = Number.isNaN(given) ? now : new Date(given);
  const record = inReadingOrder({ ...input, time: time.toISOString() });
  const safe = boundStrings(maskDeep(record), maxStringLength);
  try {
    return { time, line: `${JSON.stringify(safe)}\n` };
  } catch (error) {
    // A BigInt or a getter that throws: keep the event, lose the payload.
    const reason = maskText(error instanceof Error ? error.message : String(error));
    const minimal = { time: record.time, operation: record.operation, actor: record.actor, outcome: record.outcome };
    return {
      time,
      line: `${JSON.stringify({ ...(maskDeep(minimal) as object), error: `audit record not serialisable: ${reason}` })}\n`,
    };
  }
}

function inReadingOrder(record: AuditRecord): AuditRecord {
  const { time, operation, actor, contact, outcome, durationMs, error, request, response, ...extra } = record;
  const ordered: AuditRecord = {
    time,
    operation,
    actor,
    ...(contact !== undefined && { contact }),
    outcome,
    ...(durationMs !== undefined && { durationMs }),
    ...(error !== undefined && { error }),
    ...extra,
    ...(request !== undefined && { request }),
    ...(response !== undefined && { response }),
  };
  return ordered;
}
