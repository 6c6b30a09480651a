import type { CommandOrigin, CommandSender, ReplySender } from "./types.ts";

export type ReplyTarget = { kind: "control" } | { kind: "conversation"; id: string };

/**
 * Where replies to a command go: typed in a customer's chat → the control chat,
 * so the customer never sees ERP internals; in a room → that room; in the control chat or a
 * staff member's 1:1 → the control chat for the bot's own account, else that staff member.
 */
export function replyTarget(origin: CommandOrigin, sender: CommandSender, selfId: string | undefined): ReplyTarget {
  switch (origin.kind) {
    case "customer":
      return { kind: "control" };
    case "room":
      return origin.roomId ? { kind: "conversation", id: origin.roomId } : { kind: "control" };
    case "control":
      return sender.id === selfId ? { kind: "control" } : { kind: "conversation", id: sender.id };
  }
}

export function sendTo(replies: ReplySender, target: ReplyTarget, text: string): Promise<void> {
  return target.kind === "control" ? replies.toControl(text) : replies.to(target.id, text);
}
