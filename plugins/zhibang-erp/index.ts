import type { PluginDefinition } from "../../src/plugin-api.ts";
import { registerErpCli } from "./cli/register.ts";
import type { ConnectErpOptions, ErpConnection } from "./connect.ts";
import type { ZhibangErpControl } from "./plugin.ts";

export const ZHIBANG_ERP = "zhibang-erp";

export interface ZhibangErpOptions {
  /** Extra options for the ERP connection (the embedded emulator's faults in tests and benches). */
  connect?: Omit<ConnectErpOptions, "onCall">;
  /** How long a chat command waits for its job before answering "queued". */
  commandWaitMs?: number;
}

/** What tests and benches that know this plugin reach through `PluginInstance.handle`. */
export interface ZhibangErpHandle {
  connection: ErpConnection;
  control: ZhibangErpControl;
}

/**
 * The 智邦 ERP plugin as the catalog lists it: admission, the sync through the outbox, tier
 * assignment, follow-ups and the `/erp` commands, plus `wxerp erp check|list|emulator`. The client
 * and the emulator load only when the plugin is created, so `wxerp --help` stays quick.
 */
export function zhibangErp(options: ZhibangErpOptions = {}): PluginDefinition {
  return {
    name: ZHIBANG_ERP,
    registerCli: registerErpCli,
    async create(context) {
      const { createZhibangErp } = await import("./create.ts");
      return createZhibangErp(context, options);
    },
  };
}
