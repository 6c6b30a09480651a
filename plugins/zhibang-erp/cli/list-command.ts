import { CliFailure } from "../../../src/cli/exit.ts";

// Placeholder until the command lands; exits 1 with a sentence rather than crashing.
export async function runErpList(_options: unknown): Promise<void> {
  throw new CliFailure("this command is not built yet");
}
