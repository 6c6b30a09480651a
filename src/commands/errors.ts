/** A command definition that cannot be registered; the message says what to change. */
export class CommandDefinitionError extends Error {
  override readonly name = "CommandDefinitionError";
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A handler failure with a short reason for the user and, optionally, what to do
 * (`hint`, in the command's locale). Any other error works too; this one adds the hint.
 */
export class CommandError extends Error {
  override readonly name = "CommandError";
  readonly hint: string | undefined;
  constructor(reason: string, options: { hint?: string; cause?: unknown } = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}
