import type { CommandRuns } from "../app/command-runs.ts";
import type { ReplayCommand } from "./replay-report.ts";

interface Typed {
  contact: string;
  name: string;
  at: string;
}

/**
 * The commands a replay typed and what the bot answered, in the order typed: what staff
 * would have read in the control chat. Each message the replay delivers is announced first,
 * so a command's run is filed under the conversation it was typed in.
 */
export function replayCommandLog(runs: CommandRuns) {
  const delivered = new Map<string, Typed>();
  const commands: ReplayCommand[] = [];
  const unsubscribe = runs.subscribe((run) => {
    const typed = delivered.get(run.messageId);
    if (!typed) return;
    commands.push({ ...typed, text: run.text, status: run.status, replies: run.replies });
  });
  return {
    delivering(messageId: string, typed: Typed): void {
      delivered.set(messageId, typed);
    },
    finish(): ReplayCommand[] {
      unsubscribe();
      return commands;
    },
  };
}
