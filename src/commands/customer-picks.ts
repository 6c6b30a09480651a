/**
 * "This customer" for the next command typed in the control chat: picked by forwarding the
 * customer's 名片 or one of their messages there. A pick serves one command and expires
 * after a while, so a command typed much later never lands on a customer nobody meant.
 */
export class CustomerPicks {
  readonly #picks = new Map<string, { customerId: string; expiresAt: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `senderId`'s next command without a named customer is about `customerId`. */
  pick(senderId: string, customerId: string): void {
    this.#picks.set(senderId, { customerId, expiresAt: this.now() + this.ttlMs });
  }

  /** The customer picked by `senderId`, unless it expired. */
  current(senderId: string): string | undefined {
    const pick = this.#picks.get(senderId);
    if (!pick) return undefined;
    if (this.now() >= pick.expiresAt) {
      this.#picks.delete(senderId);
      return undefined;
    }
    return pick.customerId;
  }

  /** A command used the pick: it is spent (unless a newer pick replaced it meanwhile). */
  release(senderId: string, customerId: string): void {
    if (this.#picks.get(senderId)?.customerId === customerId) this.#picks.delete(senderId);
  }
}
