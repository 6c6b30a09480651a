import type { Logger } from "../../src/plugin-api.ts";
import type { ErpUser } from "./client/index.ts";

export interface ErpUserNamesOptions {
  /** Names are read again after this long (people join and leave rarely). */
  maxAgeMs?: number;
  /** After a failed read, the next try waits this long (the ERP may be down). */
  retryAfterMs?: number;
  /** How long the very first caller waits for the first read before showing ids only. */
  firstWaitMs?: number;
  now?: () => number;
  logger?: Logger;
}

const DEFAULTS = { maxAgeMs: 10 * 60_000, retryAfterMs: 60_000, firstWaitMs: 3_000 };

/**
 * ERP user id → name, read from the ERP's user list and kept for a while, so the dashboard
 * can show "王金牌 (123)" where it knows only the id. A page never waits on a slow ERP for
 * long: the first read is awaited up to `firstWaitMs`, later reads refresh in the background,
 * and a failed read keeps the names already known (ids alone if none).
 */
export class ErpUserNames {
  private names: ReadonlyMap<string, string> = new Map();
  private nextReadAt = Number.NEGATIVE_INFINITY;
  private everRead = false;
  private reading: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly retryAfterMs: number;
  private readonly firstWaitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly readUsers: () => Promise<ErpUser[]>,
    private readonly options: ErpUserNamesOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
    this.retryAfterMs = options.retryAfterMs ?? DEFAULTS.retryAfterMs;
    this.firstWaitMs = options.firstWaitMs ?? DEFAULTS.firstWaitMs;
    this.now = options.now ?? Date.now;
  }

  /** The names known now, after starting a read when they are due. */
  async current(): Promise<ReadonlyMap<string, string>> {
    const first = !this.everRead;
    this.everRead = true;
    if (this.now() >= this.nextReadAt) this.startRead();
    if (first && this.reading) await waitAtMost(this.reading, this.firstWaitMs);
    return this.names;
  }

  private startRead(): void {
    if (this.reading) return;
    this.nextReadAt = this.now() + this.retryAfterMs;
    this.reading = this.readUsers()
      .then((users) => {
        this.names = new Map(users.map((user) => [user.id, user.name]));
        this.nextReadAt = this.now() + this.maxAgeMs;
      })
      .catch((error: unknown) => this.options.logger?.warn({ err: error }, "could not read the ERP's user names"))
      .finally(() => {
        this.reading = undefined;
      });
  }
}

function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
