/** The 智邦 ERP HTTP client (docs/zhibang-protocol.md): public surface. */

export type { Datas } from "./call-spec.ts";
export type { ContactSummary } from "./contacts.ts";
export { foldName } from "./customer-find.ts";
export type { AllocatedId } from "./customer-form.ts";
export { ERP_CLIENT_DEFAULTS, ErpClient } from "./erp-client.ts";
export {
  ErpAuthError,
  ErpError,
  ErpNetworkError,
  ErpProtocolError,
  ErpRedirectError,
  ErpServerError,
  ErpSessionError,
  ErpTimeoutError,
  ErpValidationError,
  ErpWriteNotVerifiedError,
  requestMayHaveReachedErp,
} from "./errors.ts";
export { explainErpError } from "./explain-error.ts";
export { FOLLOWUP_MAX_CHARS, FOLLOWUP_SORT_OTHER } from "./followup.ts";
export { followupListUnavailable } from "./followup-list.ts";
export type { ErpMessage } from "./message.ts";
export type { ErpRecord } from "./table.ts";
export type * from "./types.ts";
export type { ErpUser } from "./user-list.ts";
