import type { MobileField, MobileSource, Thread } from "../store/types.ts";

/**
 * Which mobile number a thread keeps (the admission check `phone_verified`): a number WeChat holds
 * or the customer typed is verified and replaces an unverified one; a number the
 * salesperson typed is unverified and only fills an empty field. A verified number is
 * never replaced here (staff can still run `/erp verify`).
 */
export function offerMobile(
  thread: Thread,
  value: string,
  source: Extract<MobileSource, "wechat" | "customer" | "sales">,
  at: string,
): boolean {
  const current = thread.extracted.mobile;
  const verified = source !== "sales";
  const takes = current === undefined || (verified && !current.verified);
  if (!takes || (current?.value === value && current.verified === verified)) return false;
  const field: MobileField = { value, source, verified, at };
  thread.extracted.mobile = field;
  return true;
}
