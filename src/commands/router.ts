import type { Logger } from "../logging/logger.ts";
import { isAuthorisedSender } from "./authorize.ts";
import { CommandDefinitionError } from "./errors.ts";
import { failureLine } from "./failure-line.ts";
import { renderHelp, renderUsage } from "./help.ts";
import { routerMessages } from "./messages/index.ts";
import { type ParsedCommand, parseCommand } from "./parse.ts";
import { replyTarget, sendTo } from "./reply-route.ts";
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

/** The `/erp` command router (design §3.8): parse, authorise, route replies, run in a boundary. */
export function createCommandRouter(options: CommandRouterOptions): DispatchingRouter {
  const { prefix, locale, logger } = options;
  const staff = new Set(options.staff);
  const definitions = new Map<string, CommandDefinition>();
  const help: CommandDefinition = {
    name: "help",
    description: { zh: routerMessages("zh").helpDescription, en: routerMessages("en").helpDescription },
    maxArgs: 1,
    handler: async () => renderHelp(prefix, [...definitions.values()], locale),
  };
  definitions.set(help.name, help);

  function register(definition: CommandDefinition): void {
    validateDefinition(definition, prefix);
    if (definitions.has(definition.name)) {
      throw new CommandDefinitionError(definition.name, `command "${definition.name}" is already registered`);
    }
    definitions.set(definition.name, definition);
  }

  async function dispatch(candidate: CommandCandidate): Promise<DispatchOutcome> {
    const parsed = parseCommand(candidate.text, prefix);
    if (!parsed) return { status: "not-command", replies: [] };
    const command = parsed.name;
    if (candidate.backlog) {
      logger.debug({ command, sender: candidate.sender.id, messageId: candidate.messageId }, "backlog command not run");
      return { status: "backlog", command, replies: [] };
    }
    if (!isAuthorisedSender(candidate.sender.id, staff, options.selfId())) {
      await deny(candidate, command);
      return { status: "denied", command, replies: [] };
    }
    return runAuthorised(candidate, parsed);
  }

  async function deny(candidate: CommandCandidate, command: string): Promise<void> {
    const { sender, origin, messageId, text } = candidate;
    logger.warn({ command, sender: sender.id, origin: origin.kind, messageId }, "command from an unauthorised sender ignored");
    try {
      await options.onDenied?.({ sender, origin, command, text, messageId });
    } catch (error) {
      logger.error({ err: error, command, sender: sender.id }, "onDenied handler failed");
    }
  }

  async function runAuthorised(candidate: CommandCandidate, parsed: ParsedCommand): Promise<DispatchOutcome> {
    const sent: string[] = [];
    const target = replyTarget(candidate.origin, candidate.sender, options.selfId());
    const reply = async (text: string): Promise<void> => {
      if (text.trim() === "") return;
      sent.push(text);
      try {
        await sendTo(options.replies, target, text);
      } catch (error) {
        logger.error({ err: error, command: parsed.name, target }, "command reply could not be sent");
      }
    };
    const definition = definitions.get(parsed.name === "" ? "help" : parsed.name);
    if (!definition) {
      await reply(
        `${routerMessages(locale).unknownCommand(parsed.name)}\n${renderHelp(prefix, [...definitions.values()], locale)}`,
      );
      return { status: "unknown", command: parsed.name, replies: sent };
    }
    if (!arityFits(definition, parsed.args.length)) {
      await reply(renderUsage(prefix, definition, locale));
      return { status: "usage", command: parsed.name, replies: sent };
    }
    const outcome = await runHandler(definition, { ...parsed, name: definition.name }, candidate, reply);
    return { ...outcome, command: parsed.name, replies: sent };
  }

  async function runHandler(
    definition: CommandDefinition,
    parsed: ParsedCommand,
    candidate: CommandCandidate,
    reply: (text: string) => Promise<void>,
  ): Promise<Pick<DispatchOutcome, "status" | "error">> {
    const context: CommandContext = { ...parsed, sender: candidate.sender, origin: candidate.origin, locale, reply };
    const logContext = { command: definition.name, sender: candidate.sender.id, origin: candidate.origin.kind };
    logger.info({ ...logContext, args: parsed.args.length }, "command");
    try {
      const text = await definition.handler(context);
      if (text !== undefined) await reply(text);
      return { status: definition === help ? "help" : "done" };
    } catch (error) {
      logger.error({ ...logContext, err: error, rest: parsed.rest, messageId: candidate.messageId }, "command failed");
      await reply(failureLine(definition.name, error, locale));
      return { status: "failed", error };
    }
  }

  return {
    prefix,
    register,
    list: () => [...definitions.values()],
    dispatch,
  };
}

function arityFits(definition: CommandDefinition, count: number): boolean {
  return count >= (definition.minArgs ?? 0) && (definition.maxArgs === undefined || count <= definition.maxArgs);
}
