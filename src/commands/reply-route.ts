import type { CommandOrigin, CommandSender, ReplySender } from "./types.ts";

/** A reply goes to the control chat or to a staff member's 1:1 chat; never into a group. */
export type ReplyTarget = { kind: "control" } | { kind: "staff"; id: string };

/**
 * Where replies to a command go: only people who are staff may read them. Typed in a
 * customer's chat or in a group (even a staff group: a member may be added later) → the
 * control chat; typed by a staff member in their own 1:1 with the bot → that chat.
 */
export function replyTarget(origin: CommandOrigin, sender: CommandSender, selfId: string | undefined): ReplyTarget {
  if (origin.kind === "control" && sender.id !== selfId) return { kind: "staff", id: sender.id };
  return { kind: "control" };
}

export function sendTo(replies: ReplySender, target: ReplyTarget, text: string): Promise<void> {
  return target.kind === "control" ? replies.toControl(text) : replies.to(target.id, text);
}
