import { AsyncLocalStorage } from "node:async_hooks";
import type { WriteDeadline } from "../../src/plugin-api.ts";

/**
 * Who an ERP call is for: set around each job and command, read by the audit recorder,
 * so every audited HTTP attempt names its actor (auto or a staff id) and its contact
 * without threading them through every client method.
 */
export interface ErpCallContext {
  actor: string;
  contact?: string;
  /** The job's write deadline (team mode): no write is sent past it (jobs/write-deadline.ts). */
  writeDeadline?: WriteDeadline;
}

const storage = new AsyncLocalStorage<ErpCallContext>();

export function withCallContext<T>(context: ErpCallContext, body: () => Promise<T>): Promise<T> {
  return storage.run(context, body);
}

export function currentCallContext(): ErpCallContext {
  return storage.getStore() ?? { actor: "auto" };
}
