import pTimeout from "p-timeout";
import type { Logger } from "../logging/logger.ts";
import { composeDigest } from "./digest.ts";
import { HourWindow } from "./hour-window.ts";
import type { Notice, NoticeOutcome } from "./notice.ts";
import { type SendClock, type SendPacing, systemClock } from "./pacing.ts";

export type SendKind = "reply" | "digest";

export interface SendQueueOptions {
  /** The one call that talks to WeChat (the runtime's `say`). */
  send(conversationId: string, text: string): Promise<void>;
  /** false while WeChat is logged out: a reply fails at once, notices wait. */
  canSend(): boolean;
  /** Where notices go. */
  controlChat: string;
  locale: "zh" | "en";
  pacing: SendPacing;
  logger: Logger;
  clock?: SendClock;
  /** 0 ≤ r < 1 for the jitter; tests pass a fixed one. */
  random?: () => number;
  /** Every send attempt that reached WeChat, for the metrics. */
  onAttempt?(kind: SendKind, outcome: "sent" | "failed"): void;
}

/** A reply that could not even be tried: WeChat is logged out, or the bot is stopping. */
export class SendRefusedError extends Error {
  override readonly name = "SendRefusedError";
}

interface WaitingReply {
  to: string;
  text: string;
  resolve(): void;
  reject(error: unknown): void;
}

interface WaitingNotice {
  notice: Notice;
  /** When it was queued (the queue's clock): it gathers others for `gatherMs` after the last one. */
  at: number;
  settle(outcome: NoticeOutcome): void;
}

/**
 * The bot's only way out to WeChat. Sends leave one at a time with a paced, jittered pause
 * between them. A command reply goes first at its turn: a person is waiting for it. Notices
 * wait a moment so that a burst folds into one message, at most `noticesPerHour` such
 * messages an hour (the rest fold into the next one), and a notice that could not be sent
 * (logged out, failed, timed out) is kept and tried again.
 */
export class SendQueue {
  readonly #options: SendQueueOptions;
  readonly #pacing: SendPacing;
  readonly #clock: SendClock;
  readonly #random: () => number;
  readonly #digests = new HourWindow();
  #replies: WaitingReply[] = [];
  #notices: WaitingNotice[] = [];
  #nextSendAt = 0;
  #retryAt = 0;
  #pumping: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;

  constructor(options: SendQueueOptions) {
    this.#options = options;
    this.#pacing = options.pacing;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
  }

  /** Sends a command's reply at the next paced turn; rejects if it could not be sent. */
  reply(to: string, text: string): Promise<void> {
    if (this.#stopped) return Promise.reject(new SendRefusedError("the bot is stopping: reply not sent"));
    if (!this.#options.canSend()) return Promise.reject(new SendRefusedError(`not logged in to WeChat: cannot send to ${to}`));
    return new Promise((resolve, reject) => {
      this.#replies.push({ to, text, resolve, reject });
      this.#kick();
    });
  }

  /** Queues a notice for the control chat; resolves once it went out, alone or in a digest. */
  notify(notice: Notice): Promise<NoticeOutcome> {
    if (this.#stopped) {
      this.#options.logger.warn({ text: notice.text }, "control-chat notice not sent: the bot is stopping");
      return Promise.resolve("dropped");
    }
    return new Promise((settle) => {
      this.#notices.push({ notice, at: this.#clock.now(), settle });
      this.#kick();
    });
  }

  /** WeChat is back: notices waiting for their retry are tried at the next paced turn. */
  resume(): void {
    this.#retryAt = 0;
    this.#kick();
  }

  waiting(): { replies: number; notices: number } {
    return { replies: this.#replies.length, notices: this.#notices.length };
  }

  /** Stops sending: waiting notices are logged and dropped, waiting replies fail; a send in flight ends first. */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      const notices = this.#notices.splice(0);
      if (notices.length > 0) {
        const texts = notices.map((waiting) => waiting.notice.text);
        this.#options.logger.warn({ notices: texts }, "control-chat notices not sent: the bot is stopping");
      }
      for (const waiting of notices) waiting.settle("dropped");
      for (const reply of this.#replies.splice(0)) reply.reject(new SendRefusedError("the bot is stopping: reply not sent"));
      this.#wake?.();
    }
    await this.#pumping;
  }

  #hasWork(): boolean {
    return !this.#stopped && (this.#replies.length > 0 || this.#notices.length > 0);
  }

  #kick(): void {
    this.#wake?.();
    if (this.#pumping || !this.#hasWork()) return;
    this.#pumping = this.#pump()
      .catch((error: unknown) => this.#options.logger.error({ err: error }, "the send queue failed"))
      .finally(() => {
        this.#pumping = undefined;
        // Work queued between the loop's last look and here.
        if (this.#hasWork()) this.#kick();
      });
  }

  async #pump(): Promise<void> {
    while (this.#hasWork()) {
      const wait = this.#msUntilNextSend();
      if (wait > 0) {
        await this.#pause(wait);
        continue;
      }
      const reply = this.#replies.shift();
      if (reply) await this.#sendReply(reply);
      else await this.#sendDigest();
    }
  }

  /** A reply waits only for the spacing; a digest also for the gathering, the hourly cap and a retry. */
  #msUntilNextSend(): number {
    const now = this.#clock.now();
    const spacing = this.#nextSendAt - now;
    if (this.#replies.length > 0) return Math.max(0, spacing);
    const { gatherMs, maxGatherMs, noticesPerHour } = this.#pacing;
    const first = this.#notices[0]!.at;
    const last = this.#notices[this.#notices.length - 1]!.at;
    const gathered = Math.min(last + gatherMs, first + maxGatherMs) - now;
    const capped = this.#digests.nextFreeAt(now, noticesPerHour) - now;
    return Math.max(0, spacing, gathered, capped, this.#retryAt - now);
  }

  /** Sleeps on the queue's clock; a new reply or notice, `resume` or `stop` wakes it early. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: unknown;
      const done = () => {
        this.#clock.clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      timer = this.#clock.setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #sendReply(reply: WaitingReply): Promise<void> {
    if (!this.#options.canSend()) {
      reply.reject(new SendRefusedError(`not logged in to WeChat: cannot send to ${reply.to}`));
      return;
    }
    try {
      await this.#attempt(reply.to, reply.text);
      this.#options.onAttempt?.("reply", "sent");
      reply.resolve();
    } catch (error) {
      this.#options.onAttempt?.("reply", "failed");
      reply.reject(error);
    }
  }

  async #sendDigest(): Promise<void> {
    const batch = this.#takeRelevantNotices();
    if (batch.length === 0) return;
    if (!this.#options.canSend()) {
      this.#retryLater(batch, undefined);
      return;
    }
    const text = composeDigest(
      batch.map((waiting) => waiting.notice),
      this.#options.locale,
    );
    // Counted when tried: a send that timed out may still have reached WeChat.
    this.#digests.record(this.#clock.now());
    try {
      await this.#attempt(this.#options.controlChat, text);
      this.#options.onAttempt?.("digest", "sent");
      for (const waiting of batch) waiting.settle("sent");
    } catch (error) {
      this.#options.onAttempt?.("digest", "failed");
      this.#retryLater(batch, error);
    }
  }

  #takeRelevantNotices(): WaitingNotice[] {
    const relevant: WaitingNotice[] = [];
    for (const waiting of this.#notices.splice(0)) {
      if (waiting.notice.stillRelevant?.() === false) waiting.settle("withdrawn");
      else relevant.push(waiting);
    }
    return relevant;
  }

  /** Back to the front of the queue, tried again after `retryMs` (or at once when WeChat logs in). */
  #retryLater(batch: WaitingNotice[], error: unknown): void {
    if (this.#stopped) {
      for (const waiting of batch) waiting.settle("dropped");
      return;
    }
    this.#notices.unshift(...batch);
    this.#retryAt = this.#clock.now() + this.#pacing.retryMs;
    const context = { notices: batch.length, retryInMs: this.#pacing.retryMs };
    if (error === undefined) this.#options.logger.info(context, "control-chat notices wait: WeChat is not logged in");
    else this.#options.logger.warn({ ...context, err: error }, "control-chat notices not sent; trying again later");
  }

  /** One send with a timeout; whatever happens, the next one waits the paced pause. */
  async #attempt(to: string, text: string): Promise<void> {
    const { timeoutMs, minIntervalMs, jitterMs } = this.#pacing;
    try {
      await pTimeout(this.#options.send(to, text), {
        milliseconds: timeoutMs,
        message: `WeChat did not confirm the send to ${to} within ${timeoutMs / 1000} s`,
      });
    } finally {
      this.#nextSendAt = this.#clock.now() + minIntervalMs + this.#random() * jitterMs;
    }
  }
}
