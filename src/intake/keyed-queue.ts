/**
 * Runs tasks one at a time per key (a conversation), in arrival order, while different
 * keys run side by side. Entries are dropped once a key's queue is empty.
 */
export class KeyedSerialQueue {
  readonly #tails = new Map<string, Promise<void>>();

  get activeKeys(): number {
    return this.#tails.size;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
