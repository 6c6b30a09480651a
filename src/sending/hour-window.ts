const HOUR_MS = 60 * 60_000;

/** When things happened in the last hour: how many, and when the next one is allowed under a cap. */
export class HourWindow {
  readonly #times: number[] = [];

  record(at: number): void {
    this.#times.push(at);
  }

  count(now: number): number {
    this.#prune(now);
    return this.#times.length;
  }

  /** The earliest time one more fits under `cap` (now, or when an old one leaves the hour). */
  nextFreeAt(now: number, cap: number): number {
    this.#prune(now);
    if (this.#times.length < cap) return now;
    return this.#times[this.#times.length - cap]! + HOUR_MS;
  }

  #prune(now: number): void {
    while (this.#times.length > 0 && this.#times[0]! <= now - HOUR_MS) this.#times.shift();
  }
}
