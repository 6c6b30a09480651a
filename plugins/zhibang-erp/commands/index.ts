import type { CommandRouter } from "../../../src/plugin-api.ts";
import { assignCommand } from "./assign-command.ts";
import type { CommandDeps } from "./command-deps.ts";
import { findCommand } from "./find-command.ts";
import { followupCommand } from "./followup-command.ts";
import { queueCommand } from "./queue-command.ts";
import { retryCommand } from "./retry-command.ts";
import { scoreCommand } from "./score-command.ts";
import { statusCommand } from "./status-command.ts";
import { syncCommand } from "./sync-command.ts";
import { unlinkCommand } from "./unlink-command.ts";
import { verifyCommand } from "./verify-command.ts";

export type { CommandDeps } from "./command-deps.ts";

/** The `/erp` commands (docs/architecture.md §3.8; the router adds `help`). */
export function registerErpCommands(router: CommandRouter, deps: CommandDeps): void {
  for (const make of [
    statusCommand,
    syncCommand,
    scoreCommand,
    verifyCommand,
    assignCommand,
    followupCommand,
    findCommand,
    queueCommand,
    retryCommand,
    unlinkCommand,
  ]) {
    router.register(make(deps));
  }
}
