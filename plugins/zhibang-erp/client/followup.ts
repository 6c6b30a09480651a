import type { CallRunner } from "./call-runner.ts";
import { asZsml } from "./envelope.ts";
import { ErpValidationError } from "./errors.ts";
import { type ErpMessage, expectAcceptedMessage } from "./message.ts";
import { CMD_SAVE, ERP_PATHS } from "./paths.ts";
import type { FollowupInput } from "./types.ts";

/** "intro … 1000字以内" (docs/zhibang-protocol.md §5.6). */
export const FOLLOWUP_MAX_CHARS = 1000;
/** 跟进方式 484 = 其他 (other). */
export const FOLLOWUP_SORT_OTHER = 484;

/**
 * 洽谈进展 (docs/zhibang-protocol.md §5.6): `reply.asp?datatype=tel`. Each call adds a record, so it
 * is NOT repeatable: it is retried only when the request provably never reached the ERP;
 * otherwise the error carries `maybeApplied` and the outbox checks before trying again.
 */
export async function addFollowup(runner: CallRunner, ord: string, input: FollowupInput): Promise<ErpMessage> {
  const intro = clip(input.intro.trim(), FOLLOWUP_MAX_CHARS);
  if (intro === "") throw new ErpValidationError("a follow-up needs text (intro)", { operation: "followup", erpMessage: "" });
  return runner.run({
    family: "zsml",
    operation: "followup",
    path: ERP_PATHS.reply,
    query: { datatype: "tel" },
    cmdkey: CMD_SAVE,
    datas: { ord, intro, sort: input.sort ?? FOLLOWUP_SORT_OTHER, lead: input.lead ?? "0", plantype: input.plantype ?? 0 },
    repeatable: false,
    write: true,
    interpret: (reply) => expectAcceptedMessage(asZsml(reply, "followup"), "followup"),
  });
}

/** Cuts to `max` characters (code points, so a Chinese text is never split mid-character), ending with "…". */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
