import { extractMobiles, normalizeMobile } from "../privacy/mobile.ts";
import type { ThreadMessage, ThreadStore } from "../store/types.ts";

/** Store key of the numbers learned from the salesperson's side of the chats. */
const LEARNED_KEY = "intake.ownMobiles";
/** A salesperson has a handful of numbers; the bound only keeps a mistake from growing. */
const MAX_LEARNED = 100;

/**
 * The salesperson's own mobile numbers, which are never a customer's: those configured in
 * `wechat.selfMobiles` and every number typed on the sales side that the customer of that
 * chat had not typed first (echoing a customer's number back to confirm it does not make
 * it the salesperson's). Customers quote or retype "call me on 139…" all the time.
 */
export class OwnMobiles {
  readonly #configured: ReadonlySet<string>;
  #learned: string[] | undefined;

  constructor(
    private readonly store: ThreadStore,
    configured: readonly string[],
  ) {
    this.#configured = new Set(configured.map((m) => normalizeMobile(m)).filter((m): m is string => m !== undefined));
  }

  async all(): Promise<ReadonlySet<string>> {
    return new Set([...this.#configured, ...(await this.#load())]);
  }

  async has(mobile: string): Promise<boolean> {
    return this.#configured.has(mobile) || (await this.#load()).includes(mobile);
  }

  /** Learns the numbers in a salesperson's message; `earlier` are the thread's messages before it. */
  async learnFrom(text: string, earlier: readonly ThreadMessage[]): Promise<string[]> {
    const typedByCustomer = new Set(earlier.filter((m) => m.side === "customer").flatMap((m) => extractMobiles(m.text)));
    const learned = await this.#load();
    const fresh = extractMobiles(text).filter((m) => !typedByCustomer.has(m) && !this.#configured.has(m) && !learned.includes(m));
    if (fresh.length === 0) return [];
    this.#learned = [...learned, ...fresh].slice(-MAX_LEARNED);
    await this.store.setValue(LEARNED_KEY, this.#learned);
    return fresh;
  }

  async #load(): Promise<string[]> {
    this.#learned ??= (await this.store.getValue<string[]>(LEARNED_KEY)) ?? [];
    return this.#learned;
  }
}
