import { type Command, Option } from "commander";
import type { GlobalOptions } from "../../../src/plugin-api.ts";

/**
 * `wxerp erp check|list|emulator` and `wxerp report calibration`. Each action imports its module lazily, so `wxerp --help`
 * loads neither the ERP client nor the emulator.
 */
export function registerErpCli(program: Command): void {
  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;
  const erp = program.command("erp").description("the 智邦 ERP: check a connection, list customers, run the emulator");

  erp
    .command("check")
    .description("log in to the configured ERP and print up to 5 customers")
    .action(async (_opts, cmd: Command) => {
      const { runErpCheck } = await import("./check-command.ts");
      await runErpCheck(globals(cmd));
    });

  erp
    .command("list")
    .description("the ERP's customers from WeChat, newest first")
    .option("--source <ly>", "客户来源 id", "171")
    .option("--limit <n>", "at most this many", "20")
    .action(async (_opts, cmd: Command) => {
      const { runErpList } = await import("./list-command.ts");
      const o = cmd.opts() as { source: string; limit: string };
      await runErpList({ ...globals(cmd), source: o.source, limit: o.limit });
    });

  const emulator = erp
    .command("emulator")
    .description("run the local 智邦 ERP emulator on 127.0.0.1")
    .addOption(new Option("--port <n>", "port (0 = any free port)").default("18080"))
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--latency <ms>", "added latency per call", "0")
    .option("--jitter <ms>", "random extra latency up to this", "0")
    .option("--failure-rate <r>", "share of calls that fail (0..1)", "0")
    .option("--failure-kinds <list>", "http500,html,reset,hang", "http500,html,reset,hang")
    .option("--session-ttl <s>", "idle seconds before a session expires", "3600")
    .option("--silent-non-save-rate <r>", "share of saves answered ok but not stored (0..1)", "0")
    .option("--no-demo", "start without the demo customers")
    .option("--stages <list>", "planned 跟进程度 moves, khid=stage,… (e.g. WX000001=重点客户)")
    .action(async (_opts, cmd: Command) => {
      const { runEmulatorCommand } = await import("./emulator-command.ts");
      await runEmulatorCommand(cmd.opts());
    });

  emulator
    .command("stage")
    .description("move a customer of a running emulator to a 跟进程度 (潜在客户, 多次接触, 重点客户, 已成交…)")
    .argument("<customer>", "khid (WX000001) or ord")
    .argument("<stage>", "stage name or id")
    .option("--url <url>", "the emulator (default WXERP_ERP_BASE_URL, else http://127.0.0.1:18080)")
    .action(async (customer: string, stage: string, opts: { url?: string }) => {
      const { runEmulatorStage } = await import("./emulator-stage-command.ts");
      await runEmulatorStage(customer, stage, opts);
    });

  // `wxerp report` is shared by the plugins that report: the first to register creates it.
  const report =
    program.commands.find((c) => c.name() === "report") ?? program.command("report").description("reports on what wxerp did");
  report
    .command("calibration")
    .description(
      "customers wxerp put in the ERP N+ days ago: their 跟进程度 now per score tier, and a suggested admission.scoreThreshold",
    )
    .option("--days <n>", "only customers created or linked at least this many days ago", "14")
    .option("--now <time>", "judge as of this time instead of now (ISO, e.g. 2026-12-01T09:00:00+08:00)")
    .option("--json", "print the report as one JSON document")
    .action(async (_opts, cmd: Command) => {
      const { runCalibrationReport } = await import("./calibration-command.ts");
      await runCalibrationReport({ ...globals(cmd), ...(cmd.opts() as { days: string; now?: string; json?: boolean }) });
    });
}
