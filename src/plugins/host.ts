import type { Registry } from "prom-client";
import type { CommandRouter } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import { InProcessKeyedLocks, type KeyedLocks } from "../locking/keyed-locks.ts";
import type { Logger } from "../logging/logger.ts";
import { maskText } from "../privacy/mask.ts";
import type { NoticeOptions } from "../sending/notice.ts";
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
  /** Queues a line for the control chat; failures are logged by the host, never thrown at plugins. */
  notifyControl(text: string, options?: NoticeOptions): Promise<void>;
  scoreNow(threadId: string): Promise<ScoredEvent | undefined>;
  ownMobiles(): Promise<ReadonlySet<string>>;
  /** The feed the console and dashboard read; a new one (last 500 events) when omitted. */
  activity?: ActivityFeed;
  /** Longest wait for one shutdown handler or uninstaller. */
  shutdownTimeoutMs?: number;
  /** `host.locks`: advisory locks on PostgreSQL; in-process keyed locks when omitted. */
  locks?: KeyedLocks;
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
  return new PluginRuntime(options);
}

class PluginRuntime implements CorePluginHost {
  readonly activityFeed: ActivityFeed;
  readonly #options: PluginHostOptions;
  readonly #timeoutMs: number;
  readonly #plugins: string[] = [];
  readonly #messageHooks: Array<Hook<Handler<IntakeEvent>>> = [];
  readonly #scoredHooks: Array<Hook<Handler<ScoredEvent>>> = [];
  readonly #shutdownHooks: Array<Hook<() => Promise<void> | void>> = [];
  readonly #locks: KeyedLocks;
  #shuttingDown: Promise<void> | undefined;

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#locks = options.locks ?? new InProcessKeyedLocks();
    this.activityFeed = options.activity ?? createActivityFeed();
    this.#timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  }

  installed(): string[] {
    return [...this.#plugins];
  }

  async install(plugin: WxerpPlugin): Promise<void> {
    const { name } = plugin;
    if (this.#plugins.includes(name)) throw new PluginInstallError(name, `plugin "${name}" is already installed`);
    if (this.#shuttingDown) throw new PluginInstallError(name, `plugin "${name}": the host is shutting down`);
    const view = this.#viewFor(name);
    let uninstall: Awaited<ReturnType<WxerpPlugin["install"]>>;
    try {
      uninstall = await plugin.install(view);
    } catch (error) {
      // Its hooks must not run half-installed; its shutdown handlers stay to release what it opened.
      dropHooks(this.#messageHooks, name);
      dropHooks(this.#scoredHooks, name);
      throw new PluginInstallError(name, `plugin "${name}" failed to install: ${(error as Error).message}`, { cause: error });
    }
    if (typeof uninstall === "function") this.#shutdownHooks.push({ plugin: name, logger: view.logger, fn: uninstall });
    this.#plugins.push(name);
    this.#options.logger.info({ plugin: name }, "plugin installed");
  }

  emitMessage(event: IntakeEvent): Promise<void> {
    return this.#emit(this.#messageHooks, "message", event, { threadId: event.thread.id, messageId: event.message.id });
  }

  emitThreadScored(event: ScoredEvent): Promise<void> {
    return this.#emit(this.#scoredHooks, "threadScored", event, { threadId: event.thread.id });
  }

  shutdown(): Promise<void> {
    this.#shuttingDown ??= this.#runShutdown();
    return this.#shuttingDown;
  }

  #viewFor(plugin: string): PluginHost {
    const options = this.#options;
    const logger = options.logger.child({ plugin });
    return {
      config: options.config,
      logger,
      commands: options.router,
      store: options.store,
      metrics: options.metrics,
      onMessage: (fn) => void this.#messageHooks.push({ plugin, logger, fn }),
      onThreadScored: (fn) => void this.#scoredHooks.push({ plugin, logger, fn }),
      onShutdown: (fn) => void this.#shutdownHooks.push({ plugin, logger, fn }),
      notifyControl: (text, notice) => this.#notifyControlSafely(logger, text, notice),
      activity: (event) =>
        this.activityFeed.push({ ...event, at: event.at ?? new Date().toISOString(), source: event.source ?? plugin }),
      scoreNow: (threadId) => options.scoreNow(threadId),
      // Each plugin's names are its own: two plugins never lock each other out by accident.
      locks: {
        withKeys: (keys, fn) =>
          this.#locks.withKeys(
            keys.map((key) => `${plugin}:${key}`),
            fn,
          ),
        withSlot: (name, slots, fn) => this.#locks.withSlot(`${plugin}:${name}`, slots, fn),
      },
      ownMobiles: () => options.ownMobiles(),
    };
  }

  async #notifyControlSafely(logger: Logger, text: string, notice: NoticeOptions | undefined): Promise<void> {
    try {
      await this.#options.notifyControl(text, notice);
    } catch (error) {
      logger.warn({ err: error }, "could not send a line to the control chat");
    }
  }

  /** Handlers in installation order, each awaited in its own error boundary. */
  async #emit<E>(hooks: Array<Hook<Handler<E>>>, kind: string, event: E, context: Record<string, unknown>): Promise<void> {
    if (this.#shuttingDown) return;
    for (const hook of [...hooks]) {
      try {
        await hook.fn(event);
      } catch (error) {
        hook.logger.error({ err: error, hook: kind, ...context }, `plugin ${kind} handler failed`);
        this.activityFeed.push(pluginErrorEvent(hook.plugin, kind, error, context));
      }
    }
  }

  async #runShutdown(): Promise<void> {
    for (const hook of [...this.#shutdownHooks].reverse()) {
      try {
        await runBounded(`plugin ${hook.plugin} shutdown`, this.#timeoutMs, hook.fn);
      } catch (error) {
        hook.logger.error({ err: error }, "plugin shutdown handler failed");
      }
    }
    this.#options.logger.info({ plugins: this.#plugins.length }, "plugins shut down");
  }
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
