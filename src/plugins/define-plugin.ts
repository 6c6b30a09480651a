import type { PluginHost, WxerpPlugin } from "./types.ts";

type Install = WxerpPlugin["install"];

/**
 * `definePlugin("zhibang-erp", (host) => ...)`: a plugin object whose install function is
 * named after the plugin (`ZhibangErpPlugin`), so stack traces say which plugin failed.
 */
export function definePlugin(name: string, install: (host: PluginHost) => ReturnType<Install>): WxerpPlugin {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new TypeError(`plugin name "${name}" must be kebab-case (a-z, digits, "-")`);
  const functionName = `${name.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, ch: string) => ch.toUpperCase())}Plugin`;
  const named = { [functionName]: (host: PluginHost) => install(host) }[functionName] as Install;
  return { name, install: named };
}
