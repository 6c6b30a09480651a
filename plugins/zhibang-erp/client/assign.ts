import type { CallRunner } from "./call-runner.ts";
import { asZsml } from "./envelope.ts";
import { ErpValidationError } from "./errors.ts";
import { type ErpMessage, expectAcceptedMessage } from "./message.ts";
import { CMD_SAVE, ERP_PATHS } from "./paths.ts";
import type { AssignTarget } from "./types.ts";

/**
 * 客户指派 (docs/zhibang-protocol.md §5.5): `member1` 1 = public to all users, 0 = to the users in
 * `member2` (gate ids, comma-separated, ≤ 50 chars). Assigning the same target twice leaves
 * the same owners, but each call is an assignment event in the ERP (its 指派 record, the
 * salesperson's notice): not repeated when the first attempt may have been applied. The
 * caller (the sync's assign step) reads the owners back before trying again.
 */
export async function assignCustomer(runner: CallRunner, ord: string, target: AssignTarget): Promise<ErpMessage> {
  const member2 = target.mode === "public" ? "" : target.users.join(",");
  if (target.mode === "users" && (target.users.length === 0 || !target.users.every((u) => /^\d+$/.test(u)))) {
    throw new ErpValidationError("assign: users must be one or more ERP user ids (digits)", {
      operation: "assign",
      erpMessage: "",
    });
  }
  return runner.run({
    family: "zsml",
    operation: "assign",
    path: ERP_PATHS.assign,
    query: { datatype: "tel" },
    cmdkey: CMD_SAVE,
    datas: { ord, member1: target.mode === "public" ? "1" : "0", member2 },
    repeatable: false,
    write: true,
    interpret: (reply) => expectAcceptedMessage(asZsml(reply, "assign"), "assign"),
  });
}
