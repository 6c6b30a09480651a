/**
 * Per test and per hook, for tests that start child processes (`node --import tsx`, a
 * browser, the bot): loading the app in a fresh process takes seconds, and many times that
 * on a busy two-core machine. A hung child still fails the test, just later.
 */
export const CHILD_PROCESS_TIMEOUT_MS = 120_000;
