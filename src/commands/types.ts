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
  /** Replay: the conversation time of the command (ISO). */
  at?: string;
}

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
 * A message that may be a command, as intake hands it over (intake defines the same shape).
 * `backlog` messages arrived in the login backlog: history, never run.
 */
export interface CommandCandidate {
  text: string;
  sender: CommandSender;
  origin: CommandOrigin;
  messageId: string;
  backlog: boolean;
}

/** How the router talks back: the control chat, or a given conversation (a room or a staff 1:1). */
export interface ReplySender {
  toControl(text: string): Promise<void>;
  to(conversationId: string, text: string): Promise<void>;
}

/** What the router did with a candidate (for the caller, the replay report and tests). */
export interface DispatchOutcome {
  status: "not-command" | "backlog" | "denied" | "help" | "unknown" | "usage" | "done" | "failed";
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
