import { OutboxStateError } from "../errors.ts";

/**
 * This process held the job longer than its lease (sync.leaseSeconds), so the job went back to
 * the queue and another process may be running it now: this process's outcome is not recorded
 * (the other run's is). Nothing is done twice in the ERP: the run that took over looks in the ERP
 * before repeating a write (checkpoints, dedupe locks, follow-up references), and this run sent
 * no write after its write deadline at half the lease (the worker's `writeDeadline`).
 */
export class OutboxLeaseLostError extends OutboxStateError {
  override name = "OutboxLeaseLostError";
  constructor(
    readonly jobId: string,
    action: string,
  ) {
    super(
      `cannot ${action} outbox job ${jobId}: this process's lease on it expired (sync.leaseSeconds) and another process took it over`,
    );
  }
}
