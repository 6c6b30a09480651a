/**
 * One resume pass over a data directory, run as a child process by the soak while
 * `wxerp sync` is not available: what `wxerp sync` does (design §3.1), through createApp
 * in `sync` mode. Prints one JSON line: the drain and what is left in the outbox.
 *
 *   node --import tsx bench/soak/resume-child.ts --config soak.yaml --data DIR [--check]
 */
import { parseArgs } from "node:util";
import { createApp } from "../../src/app/app.ts";
import { cliLogger } from "../../src/cli/cli-logger.ts";
import { configFromOptions } from "../../src/cli/options.ts";

const { values } = parseArgs({ options: { config: { type: "string" }, data: { type: "string" }, check: { type: "boolean" } } });
const config = configFromOptions({
  ...(values.config ? { config: values.config } : {}),
  ...(values.data ? { data: values.data } : {}),
});
const { logger } = cliLogger(config, "silent");
const app = await createApp(config, { logger, mode: "sync" });
try {
  let drained = { done: 0, failed: 0, retried: 0 };
  let enqueued = 0;
  if (!values.check) {
    enqueued = (await app.erpControl.syncPending("soak")).enqueued;
    drained = await app.erpControl.drain({ ignoreBackoff: true });
  }
  const left = await app.outbox.list({ states: ["pending", "running", "failed"] });
  const count = (state: string) => left.filter((job) => job.state === state).length;
  const out = { enqueued, drained, pending: count("pending"), running: count("running"), failed: count("failed") };
  process.stdout.write(`${JSON.stringify({ ...out, errors: left.slice(0, 5).map((j) => j.lastError ?? "") })}\n`);
} finally {
  await app.stop();
}
