#!/usr/bin/env node
import { CommanderError } from "commander";
import { EXIT_USAGE, exitCodeFor } from "./cli/exit.ts";
/**
 * The `wxerp` command line (docs/architecture.md §3.1). Only this file has side effects on import:
 * it parses argv, runs one command and sets the exit code.
 */
import { buildProgram } from "./cli/program.ts";

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed its message (unknown option, missing argument...).
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`wxerp: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
