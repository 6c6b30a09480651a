/**
 * The composition root: the one place that knows both the core (src/) and the plugins. It maps
 * each plugin name a configuration may list (`plugins: [zhibang-erp]`) to the plugin's factory.
 * The entry points pass this catalog in: the command line (bin/cli.ts), the library (src/library
 * through the package entry) and the test fixtures. Nothing under src/ imports a plugin.
 *
 * To add a plugin: put it in plugins/NAME/, give it a `PluginDefinition` built only on
 * src/plugin-api.ts, and list it below.
 */
import type { PluginCatalog } from "../src/plugin-api.ts";
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
