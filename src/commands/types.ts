import type { Thread } from "../store/types.ts";

/**
 * Chat commands (docs/architecture.md §3.8): `/erp <name> [args]`, run only for authorised staff,
 * each handler inside an error boundary.
 */

export interface CommandSender {
  id: string;
  name: string;
}

/** Where a command was typed. */
export interface CommandOrigin {
  /** `customer`: a 1:1 chat with a customer; `control`: the control chat or a staff 1:1; `room`: a group. */
  kind: "customer" | "control" | "room";
  /** The customer's contact id when typed in their 1:1 chat: the default `who`. */
  customerId?: string;
  roomId?: string;
  /** A group: whether commands run there, and if not, why (see RoomCommandPolicy). */
  room?: RoomCommandPolicy;
  /** Replay: the conversation time of the command (ISO). */
  at?: string;
}

/**
 * Commands run only in a staff group: one listed in `commands.rooms` whose members are all
 * staff. Anywhere else in a group, people who are not staff read the command.
 */
export type RoomCommandPolicy =
  | { allowed: true; topic: string }
  | { allowed: false; topic: string; reason: "not-listed" | "unchecked" }
  | { allowed: false; topic: string; reason: "outsiders"; outsiders: CommandSender[] };

export interface CommandContext {
  name: string;
  /** Arguments split on whitespace. */
  args: string[];
  /** Everything after the command name, as typed (for free text like `followup`). */
  rest: string;
  sender: CommandSender;
  origin: CommandOrigin;
  locale: "zh" | "en";
  /** Sends a reply to where replies for this command go (see reply-route.ts). */
  reply(text: string): Promise<void>;
  /**
   * The customer meant when the command names none: the customer whose chat it was typed
   * in, or the one just picked in the control chat by forwarding their 名片 or a message
   * (a pick serves one command).
   */
  defaultCustomer(): string | undefined;
  /**
   * The conversations a `who` names among those this command may see: with several WeChat
   * accounts, only the account's own it was typed on. Absent: every thread in the store.
   */
  findThreads?(who: string): Promise<Thread[]>;
}

export interface CommandDefinition {
  /** Lower-case word without the prefix or a slash (validated at registration). */
  name: string;
  /** One line for `/erp help`, per locale. */
  description: { zh: string; en: string };
  /** Argument synopsis, e.g. `<mobile> [who]`. */
  usage?: string;
  /** Minimum and maximum argument counts; outside them the user gets the usage line. */
  minArgs?: number;
  maxArgs?: number;
  /** Returns the reply text (or replies itself through ctx.reply and returns nothing). */
  handler(ctx: CommandContext): Promise<string | undefined>;
}

export interface CommandRouter {
  readonly prefix: string;
  register(definition: CommandDefinition): void;
  list(): CommandDefinition[];
}

/**
 * A message that may be a command (`/erp ...`), as intake hands it to the router. Intake does not
 * authorise: the router checks `sender.id`. `backlog` messages arrived in the login backlog:
 * history, never run (intake keeps them from the router, so it always hands over false).
 */
export interface CommandCandidate {
  text: string;
  sender: CommandSender;
  origin: CommandOrigin;
  messageId: string;
  backlog: boolean;
  /** Takes the command message back from the chat, where the puppet can (true when it did). */
  recall?: () => Promise<boolean>;
  /** The id of the WeChat account it was typed on (several accounts); absent: the first. */
  account?: string;
}

/** How the router talks back: the control chat, or a given conversation (a room or a staff 1:1). */
export interface ReplySender {
  toControl(text: string): Promise<void>;
  to(conversationId: string, text: string): Promise<void>;
}

/** What the router did with a candidate (for the caller, the replay report and tests). */
export interface DispatchOutcome {
  /** `refused`: an authorised sender typed it in a group that takes no commands; not run. */
  status: "not-command" | "backlog" | "denied" | "refused" | "help" | "unknown" | "usage" | "done" | "failed";
  /** The command name as typed (lower-cased); empty for `/erp` alone. */
  command?: string;
  /** Every reply this command produced, in order (a send that failed is logged, still listed). */
  replies: string[];
  /** The handler's error when status is `failed`. */
  error?: unknown;
}

/** Handed to `onDenied`: someone not authorised typed a command (the ERP plugin audits it). */
export interface DeniedCommand {
  sender: CommandSender;
  origin: CommandOrigin;
  command: string;
  text: string;
  messageId: string;
}

/**
 * An authorised command typed where a customer can read it: a customer's 1:1 chat (it ran,
 * the customer has seen it already) or a group that takes no commands (it did not run).
 */
export interface CustomerVisibleCommand {
  sender: CommandSender;
  origin: CommandOrigin;
  command: string;
  messageId: string;
  ran: boolean;
  /** true: taken back; false: the puppet could not; undefined: not the salesperson's own message. */
  recalled: boolean | undefined;
}
