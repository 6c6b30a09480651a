/** Errors of the outbox. Each names what a reader needs to act: the file, the job, the holder. */

export class OutboxError extends Error {
  override name = "OutboxError";
}

/** The outbox file cannot be read as outbox data. The file is left untouched for inspection. */
export class OutboxCorruptError extends OutboxError {
  override name = "OutboxCorruptError";
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `outbox file ${file} is corrupt (${detail}); it was left as it is: repair it, or move it away to start ` +
        "with an empty outbox (its unfinished ERP writes are then lost)",
      options,
    );
  }
}

export class OutboxJobNotFoundError extends OutboxError {
  override name = "OutboxJobNotFoundError";
  constructor(readonly jobId: string) {
    super(`outbox job ${jobId} does not exist (finished and pruned, or never enqueued)`);
  }
}

/** A call the outbox's current state does not allow (not open, read-only, wrong job state). */
export class OutboxStateError extends OutboxError {
  override name = "OutboxStateError";
}

/** A write to disk failed; the outbox stops accepting changes so memory never runs ahead of disk. */
export class OutboxWriteError extends OutboxError {
  override name = "OutboxWriteError";
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    super(`writing outbox file ${file} failed; the outbox accepts no more changes until restarted`, options);
  }
}
