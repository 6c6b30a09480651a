import type { Logger } from "../logging/logger.ts";
import { isAuthorisedSender } from "./authorize.ts";
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
}

export interface DispatchingRouter extends CommandRouter {
  dispatch(candidate: CommandCandidate): Promise<DispatchOutcome>;
}

/** The `/erp` command router (docs/architecture.md §3.8): parse, authorise, route replies, run in a boundary. */
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
    const reply = this.#replyChannel(replyTarget(candidate.origin, candidate.sender, this.#options.selfId()), command);
    const outcome = await this.#runAuthorised(candidate, parsed, reply);
    return { ...outcome, command, replies: reply.sent };
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
    const context: CommandContext = { ...parsed, sender: candidate.sender, origin: candidate.origin, locale, reply };
    const logContext = { command: definition.name, sender: candidate.sender.id, origin: candidate.origin.kind };
    logger.info({ ...logContext, args: parsed.args.length }, "command");
    try {
      const text = await definition.handler(context);
      if (text !== undefined) await reply(text);
      return { status: definition === this.#help ? "help" : "done" };
    } catch (error) {
      logger.error({ ...logContext, err: error, rest: parsed.rest, messageId: candidate.messageId }, "command failed");
      await reply(failureLine(definition.name, error, locale));
      return { status: "failed", error };
    }
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
