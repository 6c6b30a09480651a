import { Command } from "commander";
import type { PluginCatalog } from "../plugins/types.ts";
import type { GlobalOptions } from "./options.ts";

/**
 * The command tree: the core's commands, then each catalog plugin's (all of the catalog, so
 * `wxerp --help` lists them whatever the configuration says). Each action imports its module
 * lazily, so `wxerp --help` and `wxerp erp check` do not load Wechaty.
 */
export function buildProgram(plugins: PluginCatalog): Command {
  const program = new Command("wxerp")
    .description("WeChat sales conversations → scored threads → customers in 智邦国际 ERP")
    .option("--config <file>", "YAML config merged over config/default.yaml")
    .option("--data <dir>", "data directory (threads, outbox, audit)")
    .showHelpAfterError("(run wxerp --help for usage)")
    .exitOverride();

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

  program
    .command("start")
    .description("run the bot with the configured puppet, scorer and ERP")
    .action(async (_opts, cmd: Command) => {
      const { runStart } = await import("./commands/start-command.ts");
      await runStart(globals(cmd), plugins);
    });

  program
    .command("replay")
    .description("play recorded conversations (JSONL) through the full pipeline and print a report")
    .argument("<file>", "conversations, one JSON object per line")
    .option("--json", "print the report as one JSON document on stdout")
    .action(async (file: string, _opts, cmd: Command) => {
      const { runReplayCommand } = await import("./commands/replay-command.ts");
      await runReplayCommand(file, { ...globals(cmd), json: Boolean(cmd.opts().json) }, plugins);
    });

  program
    .command("sync")
    .description("one pass for cron: admitted threads not yet in the ERP and every pending or failed job, then exit")
    .action(async (_opts, cmd: Command) => {
      const { runSync } = await import("./commands/sync-command.ts");
      await runSync(globals(cmd), plugins);
    });

  program
    .command("status")
    .description("threads, scores, sync states, outbox and metrics from the data directory")
    .option("--json", "print as JSON")
    .option("--account <id>", "only the conversations of this WeChat account (an id in wechat.accounts)")
    .action(async (_opts, cmd: Command) => {
      const { runStatus } = await import("./commands/status-command.ts");
      const account = cmd.opts().account as string | undefined;
      await runStatus({ ...globals(cmd), json: Boolean(cmd.opts().json), ...(account ? { account } : {}) });
    });

  program
    .command("migrate")
    .description("copy a lowdb data directory into PostgreSQL (WXERP_DATABASE_URL); running it again copies nothing twice")
    .requiredOption("--from <dir>", "the data directory to copy (stop the bot on it first)")
    .option("--json", "print the counts as JSON")
    .action(async (_opts, cmd: Command) => {
      const { runMigrate } = await import("./commands/migrate-command.ts");
      await runMigrate({ ...globals(cmd), from: String(cmd.opts().from), json: Boolean(cmd.opts().json) });
    });

  // The plugins' own subcommands (the ERP plugin: `wxerp erp check|list|emulator`, `wxerp report calibration`).
  for (const definition of Object.values(plugins)) definition.registerCli?.(program);

  return program;
}
