import type { CallRunner } from "./call-runner.ts";
import { ErpProtocolError } from "./errors.ts";
import { ERP_PATHS } from "./paths.ts";

/**
 * A partial customer update through the v3 webapi (docs/zhibang-protocol.md §6): `POST
 * /webapi/v3/sales/customer/edit`, token in the `ZBAPI-Token` header, a flat JSON body with
 * `ord`. The body nesting and whether enum fields take ids or names are UNKNOWN; callers pass
 * the v3 field ids as they are. Setting the same fields twice is harmless: repeatable.
 */
export async function editCustomerV3(runner: CallRunner, ord: string, fields: Record<string, string | number>): Promise<string> {
  return runner.run({
    family: "v3",
    operation: "customerEdit",
    path: ERP_PATHS.customerEditV3,
    body: { ...fields, ord },
    repeatable: true,
    write: true,
    interpret: (reply) => {
      if (reply.family === "v3") return reply.msg;
      // A ZBDocument here means the path answered in the zsml family: status was checked already.
      if (reply.status !== 0)
        throw new ErpProtocolError(`customerEdit answered with status ${reply.status}`, { operation: "customerEdit" });
      return reply.message;
    },
  });
}
