/** The router's own user-facing lines, one small file per locale. */
export interface RouterMessages {
  /** First line of help; must not start with the prefix (the bot must never command itself). */
  helpHeader(prefix: string): string;
  helpDescription: string;
  unknownCommand(name: string): string;
  usage(synopsis: string, description: string): string;
  failed(command: string, reason: string, hint: string): string;
  /** What to do after a failure when the error gives no hint. */
  defaultHint: string;
  /** Reason shown when an error has no message at all. */
  unknownReason: string;
}
