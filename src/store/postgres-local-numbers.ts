import { inTransaction, type Pool } from "../db/pool.ts";
import { StoreError } from "./errors.ts";
import type { Contact } from "./types.ts";

/**
 * Local customer numbers on PostgreSQL (khid = prefix + number), with the guarantees of the
 * embedded store: a number is committed before it is handed out, and never handed out twice.
 * The one-row counter is taken `FOR UPDATE` in the same transaction as the contact, so
 * processes sharing the database take turns; it only grows, so a replaced number stays burnt.
 */
export async function assignLocalNumber(
  pool: Pool,
  contactId: string,
  options: { atLeast: number | undefined; replace: boolean },
): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ data: Contact }>("SELECT data FROM contacts WHERE id = $1 FOR UPDATE", [contactId]);
    const contact = rows[0]?.data;
    if (!contact) throw new StoreError(`no contact ${contactId}: upsert the contact before giving it a local number`);
    if (!options.replace && contact.localNo !== undefined) return contact.localNo;
    const floor = options.replace ? Math.max(options.atLeast ?? 1, (contact.localNo ?? 0) + 1) : (options.atLeast ?? 1);
    const counter = await client.query<{ number: number }>(
      `UPDATE local_number_counter SET next_local_no = GREATEST(next_local_no, $1::int) + 1
       RETURNING next_local_no - 1 AS number`,
      [Math.floor(floor)],
    );
    const number = counter.rows[0]?.number;
    if (number === undefined) throw new StoreError("the local number counter row is missing: the database schema is damaged");
    await client.query("UPDATE contacts SET local_no = $2, data = $3, updated_at = now() WHERE id = $1", [
      contactId,
      number,
      { ...contact, localNo: number },
    ]);
    return number;
  });
}
