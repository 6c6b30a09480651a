import type { ErpClient } from "../client/erp-client.ts";

/** Customers asked for per list call (their ords in the `telord` filter). */
const ORDS_PER_CALL = 100;

/**
 * ord → 跟进程度 (`sort1name`, docs/zhibang-protocol.md §5.4) of these customers, read from
 * the customer list only: the report never writes to the ERP. The list is asked for the
 * ords in batches (`telord`); like every filter it may be ignored, so rows are matched by
 * their ord, and a reply holding customers not asked for means the ERP sent its whole
 * list (all pages were read): that one answer serves every batch. A customer missing from
 * the answer is missing from the ERP (deleted, merged, or out of this account's sight).
 */
export async function readStages(client: Pick<ErpClient, "listCustomers">, ords: readonly string[], pageSize: number) {
  const stages = new Map<string, string>();
  const wanted = [...new Set(ords)];
  for (let start = 0; start < wanted.length; start += ORDS_PER_CALL) {
    const batch = new Set(wanted.slice(start, start + ORDS_PER_CALL));
    const listed = await client.listCustomers({ telord: [...batch].join(",") }, { pageSize: Math.max(pageSize, batch.size) });
    const filterIgnored = listed.items.some((row) => !batch.has(row.ord));
    for (const row of listed.items) {
      if (filterIgnored ? wanted.includes(row.ord) : batch.has(row.ord)) stages.set(row.ord, row.record.sort1name ?? "");
    }
    if (filterIgnored) break;
  }
  return stages;
}
