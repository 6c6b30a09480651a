/** The task took longer than the time it was given (it may still finish in the background). */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(
    readonly label: string,
    readonly timeoutMs: number,
  ) {
    super(`${label} did not finish within ${timeoutMs} ms`);
  }
}

/** Runs `task`, rejecting with a TimeoutError after `timeoutMs`; the timer never keeps the process alive. */
export async function runBounded<T>(label: string, timeoutMs: number, task: () => Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(label, timeoutMs)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(task), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
