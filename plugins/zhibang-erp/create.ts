import type { PluginContext, PluginInstance } from "../../src/plugin-api.ts";
import { calibrationReport } from "./calibration/calibration-report.ts";
import { connectErp } from "./connect.ts";
import { erpCallRecorder } from "./erp-call-recorder.ts";
import { ErpUserNames } from "./erp-user-names.ts";
import type { ZhibangErpHandle, ZhibangErpOptions } from "./index.ts";
import { tierForScore } from "./mapping/erp-mapping.ts";
import { zhibangErpPlugin } from "./plugin.ts";

/**
 * Connects to the configured ERP (or starts the embedded emulator) and builds the plugin with what
 * the app, the CLI and the dashboard read from it.
 */
export async function createZhibangErp(context: PluginContext, options: ZhibangErpOptions): Promise<PluginInstance> {
  const { config, logger, audit, monitoring, outbox, mode, clock } = context;
  const connection = await connectErp(config, logger, { ...options.connect, onCall: erpCallRecorder(audit, monitoring) });
  const { plugin, control } = zhibangErpPlugin({
    connection,
    outbox,
    audit,
    monitoring,
    // `wxerp sync` drains the outbox itself.
    startWorker: mode !== "sync",
    clock,
    ...(options.commandWaitMs === undefined ? {} : { commandWaitMs: options.commandWaitMs }),
  });
  // Read from the ERP's user list now and then, not per dashboard page.
  const userNames = new ErpUserNames(() => connection.client.listUsers(), { logger });
  const handle: ZhibangErpHandle = { connection, control };
  const { emulator, baseUrl } = connection;
  return {
    plugin,
    sync: control,
    handle,
    dashboard: {
      tierName: (score) => tierForScore(config.assignment.tiers, score)?.tier.name ?? "",
      userNames: () => userNames.current(),
      calibration: ({ threads, days, now }) => calibrationReport({ threads, client: connection.client, config, now, days }),
    },
    describe: () =>
      emulator
        ? { zh: `ERP 内置模拟器 ${baseUrl}`, en: `ERP embedded emulator ${baseUrl}` }
        : { zh: `ERP ${baseUrl}`, en: `ERP ${baseUrl}` },
    summary() {
      if (!emulator) return undefined;
      const customers = emulator.snapshot().customers.length;
      return { zh: `ERP 模拟器中共有 ${customers} 个客户`, en: `the ERP emulator holds ${customers} customers` };
    },
    callStats: () => connection.client.stats(),
    close: () => connection.close(),
  };
}
