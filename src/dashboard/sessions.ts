import { randomBytes } from "node:crypto";

/**
 * Browser sessions of the dashboard. The cookie holds a random session id, never the
 * dashboard token: a cookie that leaks (a shared profile, a backup of the browser) opens
 * the dashboard only until the session expires or its owner logs out, and the token
 * itself stays out of every cookie jar. Sessions live in memory: a restart logs everyone
 * out, which is the cheapest way to revoke them all.
 */
export class DashboardSessions {
  readonly #expiries = new Map<string, number>();

  constructor(
    readonly maxAgeSeconds: number,
    private readonly now: () => number = Date.now,
    /** A bound on memory: the oldest sessions go first once this many are open. */
    private readonly maxOpen = 200,
  ) {}

  /** A new session id (32 random bytes), valid for `maxAgeSeconds` from now. */
  open(): string {
    this.#dropExpired();
    while (this.#expiries.size >= this.maxOpen) {
      const oldest = this.#expiries.keys().next().value;
      if (oldest === undefined) break;
      this.#expiries.delete(oldest);
    }
    const id = randomBytes(32).toString("base64url");
    this.#expiries.set(id, this.now() + this.maxAgeSeconds * 1000);
    return id;
  }

  isOpen(id: string | undefined): boolean {
    if (id === undefined) return false;
    const expires = this.#expiries.get(id);
    if (expires === undefined) return false;
    if (expires > this.now()) return true;
    this.#expiries.delete(id);
    return false;
  }

  close(id: string | undefined): void {
    if (id !== undefined) this.#expiries.delete(id);
  }

  #dropExpired(): void {
    const now = this.now();
    for (const [id, expires] of this.#expiries) if (expires <= now) this.#expiries.delete(id);
  }
}
