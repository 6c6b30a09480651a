import { resolve } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { AppConfig } from "../config/schema.ts";

/** Global options every subcommand accepts (docs/architecture.md §3.1). */
export interface GlobalOptions {
  config?: string;
  data?: string;
}

/** Loads the configuration for a command: default.yaml, then --config, env, then --data. */
export function configFromOptions(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const overrides: Record<string, unknown> = {};
  if (options.data) overrides.dataDir = options.data;
  const config = loadConfig({ env, files: options.config ? [resolve(options.config)] : [], overrides });
  return { ...config, dataDir: resolve(config.dataDir) };
}
