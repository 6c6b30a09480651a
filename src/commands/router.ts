import type { Logger } from "../logging/logger.ts";
import type { Thread } from "../store/types.ts";
import { isAuthorisedSender } from "./authorize.ts";
import type { CustomerPicks } from "./customer-picks.ts";
import { CommandDefinitionError } from "./errors.ts";
import { failureLine } from "./failure-line.ts";
import { renderHelp, renderUsage } from "./help.ts";
import { routerMessages } from "./messages/index.ts";
import { type ParsedCommand, parseCommand } from "./parse.ts";
import { type ReplyTarget, replyTarget, sendTo } from "./reply-route.ts";
import type {
  CommandCandidate,
  CommandContext,
  CommandDefinition,
  CommandRouter,
  CustomerVisibleCommand,
  DeniedCommand,
  DispatchOutcome,
  ReplySender,
} from "./types.ts";
import { validateDefinition } from "./validate-definition.ts";

export interface CommandRouterOptions {
  prefix: string;
  locale: "zh" | "en";
  /** WeChat contact ids allowed to run commands besides the bot's own account. */
  staff: readonly string[];
  /** The bot's own contact id once logged in. */
  selfId: () => string | undefined;
  logger: Logger;
  replies: ReplySender;
  /** Someone not authorised typed a command: they get silence, this gets told (audit). */
  onDenied?: (info: DeniedCommand) => void | Promise<void>;
  /** An authorised command typed where a customer reads it (a note to the control chat). */
  onCustomerVisible?: (info: CustomerVisibleCommand) => void | Promise<void>;
  /** Customers picked in the control chat (a forwarded 名片 or message) for the next command. */
  picks?: CustomerPicks;
  /** The customers a command may name (several accounts: those of the account it was typed on). */
  findThreads?: (who: string) => Promise<Thread[]>;
}

export interface DispatchingRouter extends CommandRouter {
  dispatch(candidate: CommandCandidate): Promise<DispatchOutcome>;
}

/**
 * The `/erp` command router (docs/architecture.md §3.8): parse, authorise, run in an error boundary, and answer only
 * where staff read (the control chat or a staff member's own chat, never a group).
 */
export function createCommandRouter(options: CommandRouterOptions): DispatchingRouter {
  return new ChatCommandRouter(options);
}

/** A reply channel for one command: routed, recorded, and never throwing. */
type Reply = ((text: string) => Promise<void>) & { sent: string[] };

class ChatCommandRouter implements DispatchingRouter {
  readonly prefix: string;
  readonly #options: CommandRouterOptions;
  readonly #staff: ReadonlySet<string>;
  readonly #definitions = new Map<string, CommandDefinition>();
  readonly #help: CommandDefinition;

  constructor(options: CommandRouterOptions) {
    this.prefix = options.prefix;
    this.#options = options;
    this.#staff = new Set(options.staff);
    this.#help = {
      name: "help",
      description: { zh: routerMessages("zh").helpDescription, en: routerMessages("en").helpDescription },
      maxArgs: 1,
      handler: async () => this.#helpText(),
    };
    this.#definitions.set(this.#help.name, this.#help);
  }

  register(definition: CommandDefinition): void {
    validateDefinition(definition, this.prefix);
    if (this.#definitions.has(definition.name)) {
      throw new CommandDefinitionError(definition.name, `command "${definition.name}" is already registered`);
    }
    this.#definitions.set(definition.name, definition);
  }

  list(): CommandDefinition[] {
    return [...this.#definitions.values()];
  }

  async dispatch(candidate: CommandCandidate): Promise<DispatchOutcome> {
    const parsed = parseCommand(candidate.text, this.prefix);
    if (!parsed) return { status: "not-command", replies: [] };
    const command = parsed.name;
    if (candidate.backlog) {
      this.#options.logger.debug(
        { command, sender: candidate.sender.id, messageId: candidate.messageId },
        "backlog command not run",
      );
      return { status: "backlog", command, replies: [] };
    }
    if (!isAuthorisedSender(candidate.sender.id, this.#staff, this.#options.selfId())) {
      await this.#deny(candidate, command);
      return { status: "denied", command, replies: [] };
    }
    const { origin } = candidate;
    if (origin.kind === "room" && origin.room?.allowed !== true) {
      await this.#seenByCustomers(candidate, command, false);
      return { status: "refused", command, replies: [] };
    }
    // Typed in a customer's chat: the customer has read it already. It runs (typing it
    // again in the control chat would only add work), is taken back, and staff are told.
    const recalled = origin.kind === "customer" ? await this.#recall(candidate) : undefined;
    const reply = this.#replyChannel(replyTarget(origin, candidate.sender, this.#options.selfId()), command);
    const outcome = await this.#runAuthorised(candidate, parsed, reply);
    if (origin.kind === "customer") await this.#tellCustomerVisible(candidate, command, true, recalled);
    return { ...outcome, command, replies: reply.sent };
  }

  async #seenByCustomers(candidate: CommandCandidate, command: string, ran: boolean): Promise<void> {
    const recalled = await this.#recall(candidate);
    await this.#tellCustomerVisible(candidate, command, ran, recalled);
  }

  /** Only the salesperson's own messages can be taken back; a puppet without recall says false. */
  async #recall(candidate: CommandCandidate): Promise<boolean | undefined> {
    if (candidate.sender.id !== this.#options.selfId() || !candidate.recall) return undefined;
    try {
      return await candidate.recall();
    } catch (error) {
      this.#options.logger.warn({ err: error, messageId: candidate.messageId }, "could not recall a command message");
      return false;
    }
  }

  async #tellCustomerVisible(candidate: CommandCandidate, command: string, ran: boolean, recalled: boolean | undefined) {
    const { sender, origin, messageId } = candidate;
    this.#options.logger.warn(
      { command, sender: sender.id, origin: origin.kind, messageId, ran, recalled },
      ran ? "command typed in a customer's chat" : "command typed in a group that takes no commands: not run",
    );
    try {
      await this.#options.onCustomerVisible?.({ sender, origin, command, messageId, ran, recalled });
    } catch (error) {
      this.#options.logger.error({ err: error, command }, "onCustomerVisible handler failed");
    }
  }

  async #deny(candidate: CommandCandidate, command: string): Promise<void> {
    const { sender, origin, messageId, text } = candidate;
    const { logger } = this.#options;
    logger.warn({ command, sender: sender.id, origin: origin.kind, messageId }, "command from an unauthorised sender ignored");
    try {
      await this.#options.onDenied?.({ sender, origin, command, text, messageId });
    } catch (error) {
      logger.error({ err: error, command, sender: sender.id }, "onDenied handler failed");
    }
  }

  async #runAuthorised(
    candidate: CommandCandidate,
    parsed: ParsedCommand,
    reply: Reply,
  ): Promise<Pick<DispatchOutcome, "status" | "error">> {
    const { locale } = this.#options;
    const definition = this.#definitions.get(parsed.name === "" ? "help" : parsed.name);
    if (!definition) {
      await reply(`${routerMessages(locale).unknownCommand(parsed.name)}\n${this.#helpText()}`);
      return { status: "unknown" };
    }
    if (!arityFits(definition, parsed.args.length)) {
      await reply(renderUsage(this.prefix, definition, locale));
      return { status: "usage" };
    }
    return this.#runHandler(definition, { ...parsed, name: definition.name }, candidate, reply);
  }

  /** The error boundary: the user gets one short line, the log gets the whole error. */
  async #runHandler(
    definition: CommandDefinition,
    parsed: ParsedCommand,
    candidate: CommandCandidate,
    reply: Reply,
  ): Promise<Pick<DispatchOutcome, "status" | "error">> {
    const { locale, logger } = this.#options;
    const pick = this.#pickFor(candidate);
    const context: CommandContext = {
      ...parsed,
      sender: candidate.sender,
      origin: candidate.origin,
      locale,
      reply,
      ...(this.#options.findThreads ? { findThreads: this.#options.findThreads } : {}),
      defaultCustomer: () => {
        if (candidate.origin.customerId) return candidate.origin.customerId;
        pick.used = pick.customerId !== undefined;
        return pick.customerId;
      },
    };
    const logContext = { command: definition.name, sender: candidate.sender.id, origin: candidate.origin.kind };
    logger.info({ ...logContext, args: parsed.args.length }, "command");
    try {
      const text = await definition.handler(context);
      if (text !== undefined) await reply(text);
      if (pick.used && pick.customerId) {
        this.#options.picks?.release(candidate.sender.id, pick.customerId);
        logger.info({ ...logContext, customer: pick.customerId }, "the picked customer served this command");
      }
      return { status: definition === this.#help ? "help" : "done" };
    } catch (error) {
      logger.error({ ...logContext, err: error, rest: parsed.rest, messageId: candidate.messageId }, "command failed");
      await reply(failureLine(definition.name, error, locale));
      return { status: "failed", error };
    }
  }

  /** A customer picked in the control chat, for a command typed there. */
  #pickFor(candidate: CommandCandidate): { customerId: string | undefined; used: boolean } {
    const customerId = candidate.origin.kind === "control" ? this.#options.picks?.current(candidate.sender.id) : undefined;
    return { customerId, used: false };
  }

  #replyChannel(target: ReplyTarget, command: string): Reply {
    const sent: string[] = [];
    const send = async (text: string): Promise<void> => {
      if (text.trim() === "") return;
      sent.push(text);
      try {
        await sendTo(this.#options.replies, target, text);
      } catch (error) {
        this.#options.logger.error({ err: error, command, target }, "command reply could not be sent");
      }
    };
    return Object.assign(send, { sent });
  }

  #helpText(): string {
    return renderHelp(this.prefix, this.list(), this.#options.locale);
  }
}

function arityFits(definition: CommandDefinition, count: number): boolean {
  return count >= (definition.minArgs ?? 0) && (definition.maxArgs === undefined || count <= definition.maxArgs);
}
