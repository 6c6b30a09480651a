import type { WriteDeadline } from "../../../src/plugin-api.ts";
import { refuseWritePastDeadline } from "../jobs/write-deadline.ts";
import type { ErpPort } from "./erp-port.ts";
import type { SyncJobRun } from "./sync-context.ts";

/**
 * The job's view of the ERP: every write waits until the job's checkpoint is durable, so what a
 * step recorded before a write (the khid, the ord, the assignment target, the follow-up's text)
 * is on disk before the ERP can have acted on it. Reads pass straight through: a crash before a
 * read loses nothing the ERP holds.
 *
 * `allocateCustomerId` is a write too, but an unused allocation is harmless (a resumed job takes
 * its own number again from the store and allocates anew), so the khid and the ord share the
 * append made before the save.
 *
 * In team mode a write is not sent past the job's write deadline (jobs/write-deadline.ts),
 * checked after the checkpoint: `durable()` re-checks the lease only when it has a patch to
 * write, and the write may come long after the last one (a slow ERP, a paused process). Reads
 * still go out past it: they change nothing a process taking the job over could repeat, and
 * they are what stays of the job's work to do (the next holder reads again anyway).
 */
export function checkpointedPort(erp: ErpPort, run: Pick<SyncJobRun, "durable">, deadline?: WriteDeadline): ErpPort {
  const afterCheckpoint =
    <A extends unknown[], R>(operation: string, write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await run.durable();
      refuseWritePastDeadline(deadline, operation);
      return write(...args);
    };
  return {
    ...erp,
    saveCustomer: afterCheckpoint("customer save", erp.saveCustomer.bind(erp)),
    assign: afterCheckpoint("assignment", erp.assign.bind(erp)),
    addFollowup: afterCheckpoint("follow-up", erp.addFollowup.bind(erp)),
    addContactPerson: afterCheckpoint("contact person", erp.addContactPerson.bind(erp)),
    editCustomer: afterCheckpoint("customer edit", erp.editCustomer.bind(erp)),
  };
}
