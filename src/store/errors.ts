/** A store call that cannot be carried out (closed store, unknown contact). */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A change would have written a thread or value the next start could not load; nothing was stored. */
export class StoreValidationError extends StoreError {
  override readonly name = "StoreValidationError";
}

/** A read-only open found no store (no meta.json): the wrong directory, or nothing was ever run there. */
export class StoreNotFoundError extends StoreError {
  override readonly name = "StoreNotFoundError";
  constructor(readonly dir: string) {
    super(`no thread store in ${dir} (no meta.json)`);
  }
}
