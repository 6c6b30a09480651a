/**
 * Lets a chat command wait a little for the job it queued, so `/erp sync` can answer
 * "created WX000001" instead of "queued". Jobs keep running when the wait times out.
 */
export type JobSettlement =
  | { ok: true; result: Record<string, unknown> | undefined }
  | { ok: false; error: string; parked: boolean };

export class JobWaiter {
  private readonly waiting = new Map<string, Array<(settlement: JobSettlement) => void>>();

  wait(jobId: string, timeoutMs: number): Promise<JobSettlement | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.remove(jobId, done);
        resolve(undefined);
      }, timeoutMs);
      const done = (settlement: JobSettlement) => {
        clearTimeout(timer);
        resolve(settlement);
      };
      this.waiting.set(jobId, [...(this.waiting.get(jobId) ?? []), done]);
    });
  }

  settle(jobId: string, settlement: JobSettlement): void {
    const listeners = this.waiting.get(jobId);
    if (!listeners) return;
    // A retryable failure is not final: keep waiting for the retry unless it was parked.
    if (!settlement.ok && !settlement.parked) return;
    this.waiting.delete(jobId);
    for (const listener of listeners) listener(settlement);
  }

  private remove(jobId: string, listener: (s: JobSettlement) => void): void {
    const rest = (this.waiting.get(jobId) ?? []).filter((l) => l !== listener);
    if (rest.length === 0) this.waiting.delete(jobId);
    else this.waiting.set(jobId, rest);
  }
}
