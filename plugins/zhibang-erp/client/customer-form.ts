import { readBill } from "./bill.ts";
import type { CallRunner } from "./call-runner.ts";
import { customerDatas, customerFromFields } from "./customer-fields.ts";
import { asZsml } from "./envelope.ts";
import { ErpProtocolError, ErpValidationError } from "./errors.ts";
import { looksLikeFailure, looksLikeNotFound } from "./failure-text.ts";
import { type ErpMessage, expectAcceptedMessage, readMessage } from "./message.ts";
import { CMD_SAVE, ERP_PATHS } from "./paths.ts";
import type { CustomerDetail, CustomerInput, CustomerKind } from "./types.ts";

/**
 * The customer form page `custom/add.asp` (docs/zhibang-protocol.md §5.1-5.3): without cmdkey it
 * allocates a new ord (the "add" form), with `__sys_dosave` it saves, with `?edit=1` it
 * shows an existing customer.
 */

export interface AllocatedId {
  ord: string;
  /** The ERP's pre-generated customer number, when its form offers one (PHP reads it). */
  khid?: string;
}

/** Reserves a new customer id; an unused one is harmless, so this is safe to repeat. */
export function allocateCustomerId(runner: CallRunner, intsort: CustomerKind): Promise<AllocatedId> {
  return runner.run({
    family: "zsml",
    operation: "allocate",
    path: ERP_PATHS.customerForm,
    query: { intsort },
    datas: { edit: "0", intsort },
    repeatable: true,
    write: false,
    interpret: (reply) => {
      const bill = readBill(asZsml(reply, "allocate"), "allocate");
      if (!/^\d+$/.test(bill.value.trim())) {
        throw new ErpProtocolError(`the ERP allocated no customer id (bill.value "${bill.value}")`, { operation: "allocate" });
      }
      const khid = bill.fields.khid?.trim();
      return khid ? { ord: bill.value.trim(), khid } : { ord: bill.value.trim() };
    },
  });
}

/**
 * Saves a whole customer form under `ord` (a new one from allocateCustomerId, or an existing
 * one: updates are whole-form saves, docs/zhibang-protocol.md §5.2). Repeating a save with the same ord cannot create
 * a second customer. A refusal text in `body.message.text` → ErpValidationError.
 */
export async function saveCustomer(runner: CallRunner, input: CustomerInput & { ord: string }): Promise<ErpMessage> {
  if (input.name.trim() === "") throw new ErpValidationError("a customer needs a name", { operation: "save", erpMessage: "" });
  return runner.run({
    family: "zsml",
    operation: "save",
    path: ERP_PATHS.customerForm,
    query: { intsort: input.intsort },
    cmdkey: CMD_SAVE,
    datas: customerDatas(input),
    repeatable: true,
    write: true,
    interpret: (reply) => expectAcceptedMessage(asZsml(reply, "save"), "save"),
  });
}

/** The detail form of one customer, or undefined when the ERP has no such customer (or only an empty form). */
export function getCustomer(runner: CallRunner, ord: string): Promise<CustomerDetail | undefined> {
  return runner.run({
    family: "zsml",
    operation: "detail",
    path: ERP_PATHS.customerForm,
    query: { edit: 1 },
    datas: { edit: "1", ord },
    repeatable: true,
    write: false,
    interpret: (reply) => {
      const zsml = asZsml(reply, "detail");
      if (zsml.model === "message") {
        const { text } = readMessage(zsml);
        if (looksLikeNotFound(text) || !looksLikeFailure(text)) return undefined;
      }
      const bill = readBill(zsml, "detail");
      const detail = customerFromFields(bill.value.trim() || ord, bill.fields);
      // An allocated-but-never-saved ord shows an empty form: that is not a customer.
      return detail.name === "" ? undefined : detail;
    },
  });
}
