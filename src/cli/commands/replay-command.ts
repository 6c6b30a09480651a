import { readFile } from "node:fs/promises";
import { createApp } from "../../app/app.ts";
import type { PluginCatalog } from "../../plugins/types.ts";
import { printReplayReport } from "../../replay/print-report.ts";
import { parseReplay } from "../../replay/replay-format.ts";
import { runReplay } from "../../replay/replay-runner.ts";
import { cliLogger } from "../cli-logger.ts";
import { CliFailure, UsageError } from "../exit.ts";
import { configFromOptions, type GlobalOptions } from "../options.ts";

/** `wxerp replay FILE.jsonl [--json]` (input and report: docs/architecture.md §3.3, §3.4). */
export async function runReplayCommand(
  file: string,
  options: GlobalOptions & { json: boolean },
  plugins: PluginCatalog,
): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // Scores and writes to the ERP; WeChat is the offline mock (checked below), so no token.
  const config = configFromOptions(options, ["erp", "llm"]);
  if (config.wechat.puppet !== "mock") {
    throw new UsageError(
      "the replay plays conversations through the mock WeChat: set wechat.puppet to mock (or unset WXERP_PUPPET)",
    );
  }
  const parsed = parseReplay(text);
  for (const error of parsed.errors) process.stderr.write(`${file}:${error.line}: skipped: ${error.message}\n`);
  if (parsed.conversations.length === 0)
    throw new CliFailure(`${file} holds no valid conversation (${parsed.errors.length} malformed line(s))`);
  const { logger, file: logFile } = cliLogger(config);
  const app = await createApp(config, { logger, mode: "replay", plugins });
  try {
    const report = await runReplay(
      app,
      parsed,
      options.json
        ? undefined
        : {
            line: (i, total, c) =>
              process.stdout.write(`[${i + 1}/${total}] ${c.contact.alias ?? c.contact.name} (${c.messages.length} messages)\n`),
          },
    );
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printReplayReport(report, config.locale, logFile);
    if (report.totals.failed > 0) process.exitCode = 1;
  } finally {
    await app.stop();
  }
}
