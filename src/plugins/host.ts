import type { Registry } from "prom-client";
import type { CommandRouter } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { maskText } from "../privacy/mask.ts";
import type { ThreadStore } from "../store/types.ts";
import { type ActivityFeed, createActivityFeed } from "./activity-feed.ts";
import { PluginInstallError } from "./errors.ts";
import { runBounded } from "./run-bounded.ts";
import type { ActivityEvent, IntakeEvent, PluginHost, ScoredEvent, WxerpPlugin } from "./types.ts";

export interface PluginHostOptions {
  config: AppConfig;
  logger: Logger;
  store: ThreadStore;
  router: CommandRouter;
  metrics: Registry;
  /** Sends a line to the control chat; failures are logged by the host, never thrown at plugins. */
  notifyControl(text: string): Promise<void>;
  scoreNow(threadId: string): Promise<ScoredEvent | undefined>;
  /** The feed the console and dashboard read; a new one (last 500 events) when omitted. */
  activity?: ActivityFeed;
  /** Longest wait for one shutdown handler or uninstaller. */
  shutdownTimeoutMs?: number;
}

/** The core's side of the host: install plugins, feed them events, shut them down. */
export interface CorePluginHost {
  install(plugin: WxerpPlugin): Promise<void>;
  installed(): string[];
  emitMessage(event: IntakeEvent): Promise<void>;
  emitThreadScored(event: ScoredEvent): Promise<void>;
  /** Uninstallers and onShutdown handlers in reverse order, each bounded; idempotent. */
  shutdown(): Promise<void>;
  readonly activityFeed: ActivityFeed;
}

type Handler<E> = (event: E) => Promise<void> | void;

interface Hook<F> {
  plugin: string;
  logger: Logger;
  fn: F;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

export function createPluginHost(options: PluginHostOptions): CorePluginHost {
  const { logger } = options;
  const activityFeed = options.activity ?? createActivityFeed();
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const plugins: string[] = [];
  const messageHooks: Array<Hook<Handler<IntakeEvent>>> = [];
  const scoredHooks: Array<Hook<Handler<ScoredEvent>>> = [];
  const shutdownHooks: Array<Hook<() => Promise<void> | void>> = [];
  let shuttingDown: Promise<void> | undefined;

  function viewFor(plugin: string): PluginHost {
    const child = logger.child({ plugin });
    return {
      config: options.config,
      logger: child,
      commands: options.router,
      store: options.store,
      metrics: options.metrics,
      onMessage: (fn) => void messageHooks.push({ plugin, logger: child, fn }),
      onThreadScored: (fn) => void scoredHooks.push({ plugin, logger: child, fn }),
      onShutdown: (fn) => void shutdownHooks.push({ plugin, logger: child, fn }),
      notifyControl: (text) => notifyControlSafely(child, text),
      activity: (event) =>
        activityFeed.push({ ...event, at: event.at ?? new Date().toISOString(), source: event.source ?? plugin }),
      scoreNow: (threadId) => options.scoreNow(threadId),
    };
  }

  async function notifyControlSafely(child: Logger, text: string): Promise<void> {
    try {
      await options.notifyControl(text);
    } catch (error) {
      child.warn({ err: error }, "could not send a line to the control chat");
    }
  }

  async function install(plugin: WxerpPlugin): Promise<void> {
    if (plugins.includes(plugin.name)) throw new PluginInstallError(plugin.name, `plugin "${plugin.name}" is already installed`);
    if (shuttingDown) throw new PluginInstallError(plugin.name, `plugin "${plugin.name}": the host is shutting down`);
    const view = viewFor(plugin.name);
    let uninstall: Awaited<ReturnType<WxerpPlugin["install"]>>;
    try {
      uninstall = await plugin.install(view);
    } catch (error) {
      // Its hooks must not run half-installed; its shutdown handlers stay to release what it opened.
      dropHooks(messageHooks, plugin.name);
      dropHooks(scoredHooks, plugin.name);
      throw new PluginInstallError(plugin.name, `plugin "${plugin.name}" failed to install: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (typeof uninstall === "function") shutdownHooks.push({ plugin: plugin.name, logger: view.logger, fn: uninstall });
    plugins.push(plugin.name);
    logger.info({ plugin: plugin.name }, "plugin installed");
  }

  async function emit<E>(
    hooks: Array<Hook<Handler<E>>>,
    kind: string,
    event: E,
    context: Record<string, unknown>,
  ): Promise<void> {
    if (shuttingDown) return;
    for (const hook of [...hooks]) {
      try {
        await hook.fn(event);
      } catch (error) {
        hook.logger.error({ err: error, hook: kind, ...context }, `plugin ${kind} handler failed`);
        activityFeed.push(pluginErrorEvent(hook.plugin, kind, error, context));
      }
    }
  }

  async function runShutdown(): Promise<void> {
    for (const hook of [...shutdownHooks].reverse()) {
      try {
        await runBounded(`plugin ${hook.plugin} shutdown`, timeoutMs, hook.fn);
      } catch (error) {
        hook.logger.error({ err: error }, "plugin shutdown handler failed");
      }
    }
    logger.info({ plugins: plugins.length }, "plugins shut down");
  }

  return {
    install,
    installed: () => [...plugins],
    emitMessage: (event) => emit(messageHooks, "message", event, { threadId: event.thread.id, messageId: event.message.id }),
    emitThreadScored: (event) => emit(scoredHooks, "threadScored", event, { threadId: event.thread.id }),
    shutdown: () => {
      shuttingDown ??= runShutdown();
      return shuttingDown;
    },
    activityFeed,
  };
}

function dropHooks<F>(hooks: Array<Hook<F>>, plugin: string): void {
  for (let i = hooks.length - 1; i >= 0; i--) if (hooks[i]?.plugin === plugin) hooks.splice(i, 1);
}

function pluginErrorEvent(plugin: string, kind: string, error: unknown, context: Record<string, unknown>): ActivityEvent {
  const contactId = typeof context.threadId === "string" ? context.threadId : undefined;
  return {
    at: new Date().toISOString(),
    kind: "plugin.error",
    source: plugin,
    text: maskText(`${plugin} ${kind}: ${error instanceof Error ? error.message : String(error)}`),
    ...(contactId === undefined ? {} : { contactId }),
  };
}
