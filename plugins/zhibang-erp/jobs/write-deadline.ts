import type { WriteDeadline } from "../../../src/plugin-api.ts";
import { currentCallContext } from "../call-context.ts";
import type { CallGate } from "../client/call-gate.ts";

/**
 * Team mode: this process's lease on the job is nearly out, so it sends the ERP no further
 * write. Past the lease another process may take the job over and, having looked in the ERP
 * for what this one did, send the same write: a late write from here would reach the
 * customer twice. The job ends without a recorded outcome when the lease is already gone, or
 * is tried again after its back-off; either way the next holder resumes it from its checkpoint.
 */
export class WriteDeadlinePassedError extends Error {
  override readonly name = "WriteDeadlinePassedError";
  readonly retryable = true;
  constructor(operation: string) {
    super(
      `did not send the ERP ${operation}: this process's lease on the job is nearly out (sync.leaseSeconds), so another process may take the job over; it resumes from the checkpoint`,
    );
  }
}

export function refuseWritePastDeadline(deadline: WriteDeadline | undefined, operation: string): void {
  if (deadline?.passed()) throw new WriteDeadlinePassedError(operation);
}

/**
 * Checks the job's write deadline again once a write has its call slot, before each HTTP attempt:
 * a write may wait for a slot behind other processes' calls, or for a retry after a refused
 * connection, longer than it took to pass checkpointed-port.ts. The deadline is taken from the
 * call context as the call comes in, not when the slot frees (the slot may be handed over from
 * another job's context).
 */
export function withWriteDeadline(gate: CallGate): CallGate {
  return (send, call) => {
    const deadline = call?.write ? currentCallContext().writeDeadline : undefined;
    if (deadline === undefined) return gate(send, call);
    return gate(() => {
      refuseWritePastDeadline(deadline, call!.operation);
      return send();
    }, call);
  };
}
