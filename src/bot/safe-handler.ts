import type { Logger } from "../logging/logger.ts";

/**
 * Wraps an event handler so that neither a throw nor a rejected promise escapes. Wechaty
 * emits events synchronously and ignores what listeners return, so a
 * rejection would become an unhandledRejection and, on Node 20, end the process.
 */
export function safeHandler<A extends unknown[]>(
  logger: Logger,
  context: string,
  handler: (...args: A) => unknown,
): (...args: A) => void {
  return (...args: A) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => logger.error({ err: error, handler: context }, `${context} failed`));
      }
    } catch (error) {
      logger.error({ err: error, handler: context }, `${context} failed`);
    }
  };
}
