import type { OutOfScope } from "./customer-scope.ts";

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
