import { resolve } from "node:path";
import { type ExternalService, loadConfig } from "../config/load.ts";
import type { AppConfig } from "../config/schema.ts";

/** Global options every subcommand accepts (docs/architecture.md §3.1). */
export interface GlobalOptions {
  config?: string;
  data?: string;
}

/**
 * Loads the configuration for a command: default.yaml, then --config, env, then --data.
 * `uses`: the services the command talks to, whose secrets must be set (default: all).
 */
export function configFromOptions(
  options: GlobalOptions,
  uses?: readonly ExternalService[],
  env: NodeJS.ProcessEnv = process.env,
): AppConfig {
  const overrides: Record<string, unknown> = {};
  if (options.data) overrides.dataDir = options.data;
  const files = options.config ? [resolve(options.config)] : [];
  const config = loadConfig({ env, files, overrides, ...(uses ? { uses } : {}) });
  return { ...config, dataDir: resolve(config.dataDir) };
}
