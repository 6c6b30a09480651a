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
 */
export function checkpointedPort(erp: ErpPort, run: Pick<SyncJobRun, "durable">): ErpPort {
  const afterCheckpoint =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await run.durable();
      return write(...args);
    };
  return {
    ...erp,
    saveCustomer: afterCheckpoint(erp.saveCustomer.bind(erp)),
    assign: afterCheckpoint(erp.assign.bind(erp)),
    addFollowup: afterCheckpoint(erp.addFollowup.bind(erp)),
    addContactPerson: afterCheckpoint(erp.addContactPerson.bind(erp)),
    editCustomer: afterCheckpoint(erp.editCustomer.bind(erp)),
  };
}
