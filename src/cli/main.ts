import { CommanderError } from "commander";
import type { PluginCatalog } from "../plugins/types.ts";
import { EXIT_USAGE, exitCodeFor } from "./exit.ts";
import { buildProgram } from "./program.ts";

/**
 * The `wxerp` command line (docs/architecture.md §3.1): parses argv, runs one command and sets
 * the exit code. The entry point (bin/cli.ts) passes the plugin catalog in: the core never
 * imports a plugin.
 */
export async function runCli(argv: readonly string[], plugins: PluginCatalog): Promise<void> {
  const program = buildProgram(plugins);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (unknown option, missing argument...).
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    } else {
      process.stderr.write(`wxerp: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = exitCodeFor(error);
    }
  }
}
