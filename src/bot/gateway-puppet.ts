import type { EventEmitter } from "node:events";
import { PuppetService } from "wechaty-puppet-service";

type GrpcManager = PuppetService["grpcManager"];
type PuppetServiceOptions = ConstructorParameters<typeof PuppetService>[0];

/** The gateway closed our event stream at once: another process holds the stream for this token. */
export class GatewayBusyError extends Error {
  override readonly name = "GatewayBusyError";
  /** The WeChat account whose gateway refused (set by the app, which knows which account it was starting). */
  account?: string;
}

export interface GatewayPuppetEvents {
  /** The event stream ended or failed while the puppet was running: nothing arrives until it is reset. */
  streamLost(reason: string): void;
  /** A start (the first, a reset's or a retry's) finished: the stream is attached and the gateway's puppet started. */
  started(): void;
  /** A start failed (gateway unreachable, refused...): the puppet is stopped and needs another start. */
  startFailed(error: Error): void;
}

/**
 * wechaty-puppet-service's client with three fixes for a long-running bot:
 * - A stream that ends or fails is reported (`streamLost`) instead of only logged, so the
 *   bot resets at once; upstream waits for the heartbeat watchdog, and the gateway drops
 *   every event while no stream is attached.
 * - A stream the gateway closes at once (it serves one stream per token) means another
 *   process is connected: the start fails with GatewayBusyError and our stop leaves the
 *   gateway alone, because the stop call would end the other process's stream.
 * - Each start of the upstream watchdog adds listeners its stop cannot remove; we remove
 *   them, so resets do not pile up listeners and duplicate watchdog resets.
 * - The payload cache (LevelDB under ~/.wechaty, one folder per token and account) is closed
 *   at logout without being awaited and opened again at the next login: a reset's login could
 *   open it while the close still held LevelDB's lock, and that open error is thrown as an
 *   uncaught exception. The open now waits for the close.
 */
export class GatewayPuppet extends PuppetService {
  private hooks: Partial<GatewayPuppetEvents> = {};
  private streamData = false;
  private refused = false;
  private leftovers: Array<() => void> = [];
  private before: { heartbeat: unknown[]; reset: unknown[] } | undefined;

  /** Where the start, stream and failure events go (one receiver: the gateway link). */
  listen(hooks: Partial<GatewayPuppetEvents>): void {
    this.hooks = hooks;
  }

  constructor(options: PuppetServiceOptions) {
    super(options);
    // Emitted by the upstream service mixin once a start (watchdog included) or a stop is complete.
    const lifecycle = this as unknown as EventEmitter;
    lifecycle.on("start", () => {
      this.forgetWatchdogListenersOnStop();
      this.hooks.started?.();
    });
    lifecycle.on("stop", () => {
      for (const remove of this.leftovers.splice(0)) remove();
    });
    this.openPayloadCacheAfterItsClose();
  }

  private openPayloadCacheAfterItsClose(): void {
    const cache = (this as unknown as { _payloadStore: PayloadCache })._payloadStore;
    const start = cache.start.bind(cache);
    const stop = cache.stop.bind(cache);
    let closing: Promise<void> = Promise.resolve();
    cache.stop = () => {
      closing = stop();
      return closing;
    };
    cache.start = async (accountId) => {
      await closing.catch(() => undefined);
      return start(accountId);
    };
  }

  override async onStart(): Promise<void> {
    this.streamData = false;
    this.refused = false;
    this.before = this.watchdogListeners();
    try {
      await super.onStart();
      const stream = this.grpcManager.eventStream;
      if (!this.streamData && (!stream || stream.destroyed || stream.readableEnded)) {
        this.refused = true;
        throw new GatewayBusyError("the gateway closed the event stream at once: another process is connected with this token");
      }
    } catch (error) {
      this.hooks.startFailed?.(error as Error);
      throw error;
    }
  }

  override async onStop(): Promise<void> {
    if (!this.refused) return super.onStop();
    // Never the stop call: it would end the stream of the process that holds it.
    for (const cleanup of this._cleanupCallbackList.splice(0)) setImmediate(cleanup);
    const manager = this._grpcManager;
    delete this._grpcManager;
    try {
      manager?.client.close();
    } catch {
      // Already closed: nothing left to release.
    }
  }

  protected override bridgeGrpcEventStream(client: GrpcManager): void {
    super.bridgeGrpcEventStream(client);
    client.on("data", () => {
      this.streamData = true;
    });
    client.on("end", () => this.lost("the gateway ended the event stream"));
    client.on("error", (error: Error) => this.lost(`the event stream failed: ${error.message}`));
  }

  private lost(reason: string): void {
    // Only a running puppet's stream matters: our own stop and reset end it too.
    if (this.state.active() !== true || this.state.inactive()) return;
    this.hooks.streamLost?.(reason);
  }

  /** The upstream watchdog's emitter is not typed as public; its listeners are what leaks. */
  private watchdogListeners(): { heartbeat: unknown[]; reset: unknown[] } {
    return { heartbeat: this.listeners("heartbeat"), reset: this.watchdogEmitter().listeners("reset") };
  }

  private watchdogEmitter(): EventEmitter {
    return (this.__watchdog as unknown as { watchdog: EventEmitter }).watchdog;
  }

  /** What this start's watchdog added: removed at the next stop (upstream's own stop cannot). */
  private forgetWatchdogListenersOnStop(): void {
    const before = this.before ?? { heartbeat: [], reset: [] };
    const after = this.watchdogListeners();
    const self = this as unknown as EventEmitter;
    const watchdog = this.watchdogEmitter();
    for (const listener of after.heartbeat.filter((l) => !before.heartbeat.includes(l)))
      this.leftovers.push(() => self.off("heartbeat", listener as Listener));
    for (const listener of after.reset.filter((l) => !before.reset.includes(l)))
      this.leftovers.push(() => watchdog.off("reset", listener as Listener));
  }
}

type Listener = (...args: unknown[]) => void;

/** Upstream's payload cache: its start and stop are what a login and a logout call. */
interface PayloadCache {
  start(accountId: string): Promise<void>;
  stop(): Promise<void>;
}
