/**
 * The library's side of the core: what the package entry (plugins/index.ts, the composition root)
 * binds to the plugin catalog and re-exports as `import { WxErp } from "wxerp"`.
 */

export { ConfigError } from "../config/errors.ts";
export type { ActivityEvent, PluginCatalog, PluginDefinition } from "../plugins/types.ts";
export type { WxErpConfig, WxErpOptions, WxErpPlugin } from "./wxerp-plugin.ts";
export { wxErpFactory } from "./wxerp-plugin.ts";
