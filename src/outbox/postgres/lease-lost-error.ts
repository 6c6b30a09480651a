import { OutboxStateError } from "../errors.ts";

/**
 * This process held the job longer than its lease (sync.leaseSeconds), so the job went back to
 * the queue and another process may be running it now: this process's outcome is not recorded
 * (the other run's is). The ERP writes of both runs are idempotent (checkpoints, dedupe locks,
 * follow-up references), so nothing is done twice in the ERP.
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
