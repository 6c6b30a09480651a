/**
 * Recognises the bot's own replies when the puppet echoes them back as `self()` messages
 * (every puppet does so, by the puppet specification): a reply that starts with the command prefix (help text) must not
 * run as a command, and a reply is not conversation. Entries expire and the set is bounded.
 */
export class EchoGuard {
  readonly #sent = new Map<string, number[]>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 120_000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  remember(conversationId: string, text: string, now = Date.now()): void {
    const key = keyOf(conversationId, text);
    const times = this.#sent.get(key) ?? [];
    times.push(now + this.#ttlMs);
    this.#sent.delete(key);
    this.#sent.set(key, times);
    while (this.#sent.size > this.#maxEntries) {
      const oldest = this.#sent.keys().next().value;
      if (oldest === undefined) break;
      this.#sent.delete(oldest);
    }
  }

  /** true (once per send) when this text was just sent by the bot to this conversation. */
  consume(conversationId: string, text: string, now = Date.now()): boolean {
    const key = keyOf(conversationId, text);
    const live = (this.#sent.get(key) ?? []).filter((expires) => expires > now);
    if (live.length === 0) {
      this.#sent.delete(key);
      return false;
    }
    live.shift();
    if (live.length === 0) this.#sent.delete(key);
    else this.#sent.set(key, live);
    return true;
  }
}

function keyOf(conversationId: string, text: string): string {
  return `${conversationId}\u0000${text.trim()}`;
}
