import { join, resolve } from "node:path";
import type { Wechaty, WechatyPlugin } from "wechaty";
import type { App } from "../app/app.ts";
import { ConfigError } from "../config/errors.ts";
import { loadConfig } from "../config/load.ts";
import type { AppConfig } from "../config/schema.ts";
import { createLogger } from "../logging/logger.ts";
import { resolvePlugins } from "../plugins/load-plugins.ts";
import type { ActivityEvent, PluginCatalog } from "../plugins/types.ts";

/** The configuration as in a YAML file (README §6), as an object: `{ erp: { baseUrl: … }, admission: … }`. */
export type WxErpConfig = Record<string, unknown>;

export interface WxErpOptions {
  /** Where the secrets come from (WXERP_ERP_USERNAME, OPENAI_API_KEY…): never from the config object. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called when the app could not start on the bot or failed to stop; default: logged to stderr. */
  onError?: (error: unknown) => void;
}

/** A Wechaty plugin with a handle on what it runs. */
export interface WxErpPlugin extends WechatyPlugin {
  /** The validated configuration (defaults filled in). */
  readonly config: AppConfig;
  /** Resolves once wxerp listens on the bot (store, outbox and ERP open); rejects if it could not start. */
  ready(): Promise<void>;
  /** Every step wxerp reports (scored, admitted, created, linked, assigned, follow-up, failed…). */
  onActivity(listener: (event: ActivityEvent) => void): () => void;
  /** Stops wxerp (the bot keeps running): saves, closes the ERP connection, removes its listeners. */
  stop(): Promise<void>;
}

/**
 * Library mode: `bot.use(WxErp({ ...config }))` on a team's own Wechaty gives it the scoring, the
 * configured plugins (the ERP sync, the `/erp` commands) and the same configuration schema as the
 * YAML files. The config is validated at once: a bad key throws a ConfigError naming it. The bot's
 * owner starts and stops the bot; wxerp listens to its messages and sends through it.
 */
export function wxErpFactory(catalog: PluginCatalog): (config?: WxErpConfig, options?: WxErpOptions) => WxErpPlugin {
  return (config = {}, options = {}) => {
    const loaded = loadConfig({ env: options.env ?? process.env, overrides: config, uses: ["erp", "llm"] });
    const appConfig: AppConfig = { ...loaded, dataDir: resolve(loaded.dataDir) };
    // A plugin name this package does not have fails here too, not later on the bot.
    resolvePlugins(appConfig.plugins, catalog);
    // One bot is one WeChat account: several accounts need several bots (or `wxerp start`).
    if ((appConfig.wechat.accounts?.length ?? 0) > 1) {
      throw new ConfigError(
        "wechat.accounts: a WxErp plugin runs on the one bot given to bot.use; list one account, or run wxerp start for several",
      );
    }
    const onError = options.onError ?? ((error: unknown) => process.stderr.write(`wxerp: ${String(error)}\n`));
    const listeners = new Set<(event: ActivityEvent) => void>();
    let starting: Promise<App> | undefined;
    let stopping: Promise<void> | undefined;

    const plugin = (bot: Wechaty) => {
      if (starting) throw new Error("this WxErp plugin is already installed on a bot: create one per bot");
      starting = startOn(bot);
      starting.catch(onError);
      return () => void stop().catch(onError);
    };

    async function startOn(bot: Wechaty): Promise<App> {
      const { createApp } = await import("../app/app.ts");
      const logger = createLogger({
        level: appConfig.log.level,
        file: join(appConfig.dataDir, "logs", "wxerp.log"),
        stderrLevel: appConfig.log.level === "silent" ? "silent" : "warn",
      });
      const app = await createApp(appConfig, { logger, mode: "live", plugins: catalog, bot });
      app.host.activityFeed.subscribe((event) => {
        for (const listener of listeners) listener(event);
      });
      try {
        await app.start();
      } catch (error) {
        await app.stop();
        throw error;
      }
      return app;
    }

    function stop(): Promise<void> {
      stopping ??= (async () => {
        const app = await starting?.catch(() => undefined);
        await app?.stop();
      })();
      return stopping;
    }

    return Object.assign(plugin, {
      config: appConfig,
      ready: async () => {
        if (!starting) throw new Error("bot.use(plugin) first: the plugin is not installed on a bot");
        await starting;
      },
      onActivity(listener: (event: ActivityEvent) => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      stop,
    });
  };
}
