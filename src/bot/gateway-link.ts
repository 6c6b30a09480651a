import { connect } from "node:net";
import pRetry from "p-retry";
import type { Logger } from "../logging/logger.ts";
import { GatewayBusyError, type GatewayPuppet } from "./gateway-puppet.ts";

export type LinkState = "connecting" | "connected" | "reconnecting" | "refused" | "stopped";

export interface LinkEvent {
  kind: "connected" | "lost" | "retrying";
  at: Date;
  endpoint: string;
  reason?: string;
  /** connected after a loss: milliseconds from the loss to the stream flowing again. */
  gapMs?: number;
  /** retrying: the failed attempt's number (1 = the first start). */
  attempt?: number;
}

export interface LinkStatus {
  state: LinkState;
  endpoint: string;
  since: Date;
  lastError?: string;
  /** Successful reconnections after a lost stream or a failed start. */
  reconnects: number;
  lastGapMs?: number;
}

export interface LinkBackoff {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: LinkBackoff = { firstMs: 1000, maxMs: 60_000 };

/**
 * Keeps the bot attached to the puppet-service gateway. A lost event stream resets the
 * puppet at once (a new stream, then the gateway's start: a PadLocal gateway logs in again
 * and replays what arrived meanwhile); a start that fails (gateway down or unreachable) is
 * retried with exponential back-off until it works or the bot stops.
 */
export class GatewayLink {
  private readonly handlers: Array<(event: LinkEvent) => void> = [];
  private readonly abort = new AbortController();
  private current: LinkStatus;
  private recovering: Promise<void> | undefined;
  private lostAt: number | undefined;
  private firstStartDone = false;

  constructor(
    private readonly puppet: GatewayPuppet,
    private readonly options: { endpoint: string; logger: Logger; backoff?: LinkBackoff },
  ) {
    this.current = { state: "connecting", endpoint: options.endpoint, since: new Date(), reconnects: 0 };
    puppet.listen({
      started: () => this.onStarted(),
      startFailed: (error) => this.onStartFailed(error),
      streamLost: (reason) => this.onLost(reason),
    });
  }

  status(): LinkStatus {
    return { ...this.current };
  }

  onEvent(handler: (event: LinkEvent) => void): void {
    this.handlers.push(handler);
  }

  /**
   * After the bot's first start: throws GatewayBusyError when another process holds the
   * gateway's stream; when the gateway could not be reached, keeps retrying in the background.
   */
  afterFirstStart(): void {
    this.firstStartDone = true;
    if (this.current.state === "refused")
      throw new GatewayBusyError(`${this.current.lastError ?? "refused"} (gateway ${this.options.endpoint})`);
    if (this.puppet.state.active() !== true) {
      this.emit({ kind: "retrying", reason: this.current.lastError ?? "the puppet did not start", attempt: 1 });
      this.recover();
    }
  }

  /** A reset or a retry is under way: a logout now is the reconnection's, not WeChat's. */
  reconnecting(): boolean {
    return this.recovering !== undefined;
  }

  stop(): void {
    this.abort.abort();
    this.set("stopped");
  }

  private onStarted(): void {
    const gapMs = this.lostAt === undefined ? undefined : Date.now() - this.lostAt;
    if (this.firstStartDone) this.current.reconnects++;
    this.lostAt = undefined;
    this.set("connected", { ...(gapMs === undefined ? {} : { lastGapMs: gapMs }) });
    this.emit({ kind: "connected", ...(gapMs === undefined ? {} : { gapMs }) });
  }

  private onStartFailed(error: Error): void {
    this.lostAt ??= Date.now();
    this.current.lastError = error.message;
    if (!this.firstStartDone && error instanceof GatewayBusyError) this.set("refused");
    // A failed reset by the upstream watchdog leaves the puppet stopped: nobody else retries.
    if (this.firstStartDone && !this.recovering && !this.abort.signal.aborted) this.recover();
  }

  private onLost(reason: string): void {
    // A failing stream reports both an error and its end: one loss.
    if (this.abort.signal.aborted || this.recovering) return;
    this.lostAt = Date.now();
    this.current.lastError = reason;
    this.options.logger.warn({ endpoint: this.options.endpoint, reason }, "WeChat gateway stream lost: reconnecting now");
    this.emit({ kind: "lost", reason });
    this.recover();
  }

  private recover(): void {
    if (this.recovering || this.abort.signal.aborted) return;
    this.set("reconnecting");
    const { firstMs, maxMs } = this.options.backoff ?? DEFAULT_BACKOFF;
    this.recovering = pRetry(() => this.restartOnce(), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: firstMs,
      maxTimeout: maxMs,
      factor: 2,
      randomize: true,
      signal: this.abort.signal,
      onFailedAttempt: ({ error, attemptNumber }) => {
        this.current.lastError = error.message;
        // The console said it once; each retry is for the log file.
        this.options.logger.info(
          { endpoint: this.options.endpoint, attempt: attemptNumber, err: error },
          "WeChat gateway not reachable: retrying with back-off",
        );
        this.emit({ kind: "retrying", reason: error.message, attempt: attemptNumber + 1 });
      },
    })
      .catch(() => undefined)
      .finally(() => {
        this.recovering = undefined;
      });
  }

  /** One attempt: a reset when the puppet runs (stream lost), a start when it is stopped. */
  private async restartOnce(): Promise<void> {
    if (this.abort.signal.aborted) return;
    // A start against a closed port costs the upstream puppet a 5 s wait to settle: knock first.
    await reachable(this.options.endpoint);
    if (this.puppet.state.active() === true) await this.puppet.reset();
    else await this.puppet.start();
    if (this.puppet.state.active() !== true) throw new Error(this.current.lastError ?? "the puppet did not start");
  }

  private set(state: LinkState, extra: Partial<LinkStatus> = {}): void {
    if (this.current.state !== state) this.current.since = new Date();
    Object.assign(this.current, extra, { state });
  }

  private emit(event: Omit<LinkEvent, "at" | "endpoint">): void {
    const full: LinkEvent = { ...event, at: new Date(), endpoint: this.options.endpoint };
    for (const handler of this.handlers) {
      try {
        handler(full);
      } catch (error) {
        this.options.logger.warn({ err: error }, "gateway link handler failed");
      }
    }
  }
}

/** Resolves once a TCP connection to host:port opens (the gateway listens); rejects otherwise. */
function reachable(endpoint: string, timeoutMs = 5000): Promise<void> {
  const match = /^(.+):(\d+)$/.exec(endpoint);
  if (!match) return Promise.resolve(); // token discovery: nothing to knock on
  const host = match[1]!.replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(match[2]), timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no answer from ${endpoint} within ${timeoutMs} ms`));
    });
    socket.once("error", (error) => reject(new Error(`${endpoint}: ${error.message}`)));
  });
}
