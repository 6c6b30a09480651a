import type { CommandOrigin, CommandSender } from "../commands/types.ts";
import type { OutOfScope } from "./customer-scope.ts";

/**
 * A message that may be a command (`/erp ...`), as intake hands it to the command router.
 * Intake does not authorise: the router checks `sender.id`. `backlog` is always false here,
 * since login-backlog commands are never handed over; the field keeps the router's shape.
 */
export interface CommandCandidate {
  text: string;
  sender: CommandSender;
  origin: CommandOrigin;
  messageId: string;
  backlog: boolean;
  /** Takes the salesperson's own command message back from the chat (true when the puppet did). */
  recall?: () => Promise<boolean>;
}

/** Why intake set a message aside (counted in `stats().ignored`). */
export type IgnoreReason =
  | "system" // system notices, unknown and other non-conversation types, recalls of messages not kept
  | "malformed" // no talker or no counterpart: odd payloads guarded, never a crash
  | "empty" // whitespace-only or empty text
  | "echo" // the bot's own reply echoed back by the puppet
  | "control" // the control chat (File Transfer) or a chat with staff: not a customer
  | "official" // official and corporation accounts, WeChat's own accounts
  | "room" // a group chat not listed in wechat.rooms, or the salesperson's own words in one
  | "backlog-command" // a command in the login backlog: history, never run
  | OutOfScope; // a 1:1 chat outside wechat.customers: never stored, never scored

export interface IntakeStats {
  received: number;
  duplicates: number;
  stored: number;
  /** Stored messages that came in the login backlog. */
  backlog: number;
  commands: number;
  /** Messages marked recalled in their thread. */
  recalled: number;
  failed: number;
  ignored: Partial<Record<IgnoreReason, number>>;
}
