import type { DispatchingRouter } from "../commands/router.ts";
import type { CommandCandidate, CommandOrigin, CommandSender, DispatchOutcome } from "../commands/types.ts";
import type { ActivityEvent } from "../plugins/types.ts";
import { maskText } from "../privacy/mask.ts";

/** A command someone typed and what came of it: its replies are what the chat received. */
export interface CommandRun {
  messageId: string;
  /** As typed, with mobiles and account numbers masked. */
  text: string;
  sender: CommandSender;
  origin: CommandOrigin;
  status: DispatchOutcome["status"];
  /** Every reply, in order, as sent (the control chat, or a staff member's own chat). */
  replies: string[];
}

export type CommandRunListener = (run: CommandRun) => void;

export interface CommandRuns {
  /**
   * Runs a typed command through the router. The activity feed hears the command first (the
   * console prints it above its replies); listeners hear the outcome once the router is done.
   */
  dispatch(candidate: CommandCandidate): Promise<DispatchOutcome>;
  /** Returns the unsubscribe function. */
  subscribe(listener: CommandRunListener): () => void;
}

/**
 * Makes the commands visible where nobody reads the WeChat chat: the console of the demo,
 * the replay report, tests. Customers' words never pass through here, only staff commands
 * (intake hands over text that starts with the command prefix).
 */
export function commandRuns(
  router: Pick<DispatchingRouter, "dispatch">,
  activity: (event: Omit<ActivityEvent, "at">) => void,
  onListenerError: (error: unknown) => void,
): CommandRuns {
  const listeners = new Set<CommandRunListener>();
  return {
    async dispatch(candidate) {
      const text = maskText(candidate.text);
      if (!candidate.backlog) activity(typedEvent(candidate, text));
      const outcome = await router.dispatch(candidate);
      if (outcome.status === "not-command" || outcome.status === "backlog") return outcome;
      const run: CommandRun = {
        messageId: candidate.messageId,
        text,
        sender: candidate.sender,
        origin: candidate.origin,
        status: outcome.status,
        replies: outcome.replies.map(maskText),
      };
      for (const listener of [...listeners]) {
        try {
          listener(run);
        } catch (error) {
          onListenerError(error);
        }
      }
      return outcome;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function typedEvent(candidate: CommandCandidate, text: string): Omit<ActivityEvent, "at"> {
  const { origin, sender } = candidate;
  return {
    kind: "command",
    ...(origin.customerId ? { contactId: origin.customerId } : {}),
    text: `${sender.name || sender.id}: ${text}`,
    source: "commands",
  };
}
