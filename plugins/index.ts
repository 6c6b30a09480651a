/**
 * The composition root, and the package's entry (`import { WxErp } from "wxerp"`): the one place
 * that knows both the core (src/) and the plugins. It maps each plugin name a configuration may list
 * (`plugins: [zhibang-erp]`) to the plugin's factory, and binds that catalog to the entry points:
 * the command line (bin/cli.ts), the library (`WxErp` below) and the test fixtures. Nothing under
 * src/ imports a plugin (docs/architecture.md §1.9).
 *
 * To add a plugin: put it in plugins/NAME/, build it only on src/plugin-api.ts, and list it below.
 */
import { type PluginCatalog, wxErpFactory } from "../src/library/index.ts";
import { EMULATOR_DEFAULT_CREDENTIALS, type EmulatorOptions, type RunningEmulator } from "./zhibang-erp/emulator/types.ts";
import { ZHIBANG_ERP, type ZhibangErpOptions, zhibangErp } from "./zhibang-erp/index.ts";

export interface CatalogOptions {
  /** Options for the 智邦 ERP plugin (tests and benches: emulator faults, command waits). */
  [ZHIBANG_ERP]?: ZhibangErpOptions;
}

export function pluginCatalog(options: CatalogOptions = {}): PluginCatalog {
  return {
    [ZHIBANG_ERP]: zhibangErp(options[ZHIBANG_ERP]),
  };
}

/**
 * `bot.use(WxErp({ ...config }))`: wxerp as a Wechaty plugin on a team's own bot, with this
 * package's plugins (the configuration's `plugins`, default `[zhibang-erp]`). README "Use as a
 * Wechaty plugin"; examples/wechaty-plugin.ts.
 */
export const WxErp = wxErpFactory(pluginCatalog());

export type { ActivityEvent, WxErpConfig, WxErpOptions, WxErpPlugin } from "../src/library/index.ts";
export { ConfigError } from "../src/library/index.ts";
export type { EmulatorOptions as ErpEmulatorOptions, RunningEmulator as RunningErpEmulator };

/** The account the bundled ERP emulator accepts (its demo user): give it to wxerp as WXERP_ERP_USERNAME / _PASSWORD. */
export const ERP_EMULATOR_CREDENTIALS = EMULATOR_DEFAULT_CREDENTIALS;

/**
 * Starts the bundled 智邦 ERP emulator on 127.0.0.1 (a free port by default): for trying wxerp
 * without an ERP, and for tests. Its customers are in `snapshot().customers`; `close()` stops it.
 */
export async function startErpEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { startEmulator } = await import("./zhibang-erp/emulator/index.ts");
  return startEmulator({ host: "127.0.0.1", port: 0, ...options });
}
