import pMap from "p-map";
import { configFromOptions, type GlobalOptions, maskMobile, renderTable, UsageError } from "../../../src/plugin-api.ts";
import type { ErpClient } from "../client/erp-client.ts";
import { clip } from "../client/followup.ts";
import type { CustomerDetail, CustomerSummary } from "../client/types.ts";
import { cliLogger, print, withErp } from "./check-command.ts";

/**
 * `wxerp erp list [--source 171] [--limit N]`: the
 * customers with 客户来源 `ly` = source, newest first (`_rpt_sort "-1"`, V-DEMO). The list
 * has no khid column (docs/zhibang-protocol.md §5.4), so each row's detail is read for it.
 */

export interface ErpListOptions extends GlobalOptions {
  source: string;
  limit: string;
}

const DETAIL_READS_IN_FLIGHT = 4;
const FOLLOWUP_COLUMN_CHARS = 30;

interface ListedCustomer {
  summary: CustomerSummary;
  detail: CustomerDetail | undefined;
}

export async function runErpList(options: ErpListOptions): Promise<void> {
  const limit = positiveInteger("--limit", options.limit);
  const source = positiveInteger("--source", options.source);
  // Talks to the ERP only: the LLM key and the WeChat token may be unset.
  const config = configFromOptions(options, ["erp"]);
  await withErp(config, cliLogger(config.log.level), async (connection) => {
    const { shown, skipped } = await customersFromSource(connection.client, source, limit);
    if (shown.length === 0) {
      print(`no customers with 客户来源 ${source} in the ERP at ${connection.baseUrl}`);
      return;
    }
    print(table(shown));
    print(`${shown.length} customer(s) with 客户来源 ${source}, newest first`);
    if (skipped > 0) print(`(${skipped} row(s) left out: their detail shows another source; the ERP may ignore the ly filter)`);
  });
}

export function positiveInteger(flag: string, value: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a positive whole number (got "${value}")`);
  }
  return Number(text);
}

/** The newest `limit` customers of a source; rows whose detail shows another source are left out (never trust a filter). */
async function customersFromSource(erp: ErpClient, source: number, limit: number) {
  const listed = await erp.listCustomers({ ly: source }, { sort: "-1", limit, pageSize: Math.min(limit, 100) });
  const rows = await pMap(
    listed.items,
    async (summary): Promise<ListedCustomer> => ({
      summary,
      detail: await erp.getCustomer(summary.ord),
    }),
    { concurrency: DETAIL_READS_IN_FLIGHT },
  );
  const shown = rows.filter((row) => !row.detail?.ly || row.detail.ly === String(source));
  return { shown, skipped: rows.length - shown.length };
}

function table(rows: ListedCustomer[]): string {
  return renderTable(
    ["name", "khid", "owner", "mobile", "latest follow-up"],
    rows.map(({ summary, detail }) => [
      summary.name,
      detail?.khid ?? "",
      summary.owner || "(public)",
      summary.mobile ? maskMobile(summary.mobile) : "",
      clip(summary.latestFollowup.replace(/\s+/g, " "), FOLLOWUP_COLUMN_CHARS),
    ]),
  );
}
