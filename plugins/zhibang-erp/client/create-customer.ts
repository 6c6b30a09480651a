import type { CallRunner } from "./call-runner.ts";
import { allocateCustomerId, getCustomer, saveCustomer } from "./customer-form.ts";
import { ErpError, ErpWriteNotVerifiedError } from "./errors.ts";
import type { CreatedCustomer, CustomerDetail, CustomerInput } from "./types.ts";

/**
 * A new customer (docs/zhibang-protocol.md §5.1-5.3): allocate an ord, save the form under it, read it
 * back. The save's success text is UNKNOWN and a failed save has been seen to answer "ok"
 * (PY2), so only the read-back proves the customer exists.
 */
export async function createCustomer(runner: CallRunner, input: CustomerInput): Promise<CreatedCustomer> {
  const allocated = await allocateCustomerId(runner, input.intsort);
  const khid = input.khid ?? allocated.khid ?? "";
  await saveCustomer(runner, { ...input, ord: allocated.ord, khid });
  let detail: CustomerDetail | undefined;
  try {
    detail = await getCustomer(runner, allocated.ord);
  } catch (error) {
    // The save went through as far as we know: whoever retries must look first.
    if (error instanceof ErpError) error.maybeApplied = true;
    throw error;
  }
  if (!detail || detail.name !== input.name.trim() || (khid !== "" && detail.khid !== khid)) {
    const seen = detail ? `name "${detail.name}", khid "${detail.khid}"` : "no customer";
    throw new ErpWriteNotVerifiedError(
      `the ERP accepted customer ${khid || allocated.ord} but reading ord ${allocated.ord} back shows ${seen}: it was not stored`,
      { operation: "create" },
    );
  }
  return { ord: allocated.ord, khid: detail.khid || khid, detail };
}
