import type { CallRunner } from "./call-runner.ts";
import { listPages } from "./customer-list.ts";
import { ErpProtocolError, ErpServerError, ErpValidationError } from "./errors.ts";
import { ERP_PATHS } from "./paths.ts";

/** Columns a follow-up list row may carry its text in (the page is undocumented). */
const TEXT_COLUMNS = ["intro", "telintro", "reply", "content"] as const;

/**
 * The customer's follow-up texts, newest first, at most `limit`: `replylist.asp?datatype=tel`
 * filtered by the customer's ord. Rows are matched by their `ord`/`company` column when the
 * server returns one (its filter may be fuzzy, as the customer list's is).
 */
export async function listFollowups(runner: CallRunner, ord: string, limit: number): Promise<string[]> {
  const result = await listPages(runner, {
    operation: "followup_list",
    path: ERP_PATHS.replyList,
    query: { datatype: "tel" },
    filters: { ord },
    options: { limit, sort: "-1", pageSize: limit },
    defaultPageSize: limit,
  });
  return result.items
    .filter((row) => {
      const owner = row.company ?? row.ord;
      return owner === undefined || owner === ord;
    })
    .map((row) => TEXT_COLUMNS.map((column) => row[column]).find((text) => text !== undefined) ?? "")
    .filter((text) => text !== "");
}

/**
 * True when the error says the server has no usable follow-up list (no such page, an HTML
 * page, a reply that is not a table), as opposed to a passing failure worth retrying.
 */
export function followupListUnavailable(error: unknown): boolean {
  if (error instanceof ErpServerError) return error.httpStatus === 404 || (error.html && !error.retryable);
  return error instanceof ErpProtocolError || error instanceof ErpValidationError;
}
