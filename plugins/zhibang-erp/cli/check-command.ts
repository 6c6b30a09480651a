import {
  CliFailure,
  configFromOptions,
  createLogger,
  type GlobalOptions,
  type Logger,
  maskMobile,
  renderTable,
} from "../../../src/plugin-api.ts";
import { explainErpError } from "../client/explain-error.ts";
import type { CustomerSummary } from "../client/types.ts";
import { connectErp, type ErpConnection } from "../connect.ts";
import { printRetry } from "./retry-line.ts";

/**
 * `wxerp erp check`: log in to the configured ERP, list up to 5 customers,
 * log out. Any failure exits 1 with one sentence that says what to fix.
 */

const CHECK_CUSTOMERS = 5;

export async function runErpCheck(options: GlobalOptions): Promise<void> {
  // Talks to the ERP only: the LLM key and the WeChat token may be unset.
  const config = configFromOptions(options, ["erp"]);
  const logger = cliLogger(config.log.level);
  await withErp(config, logger, async (connection) => {
    const where = connection.emulator ? `${connection.baseUrl} (embedded emulator)` : connection.baseUrl;
    print(`ERP: ${where}`);
    const info = await connection.client.login();
    print(`login ok${info.appVersion ? ` (ERP version ${info.appVersion})` : ""}`);
    const listed = await connection.client.listCustomers(
      {},
      { pageSize: CHECK_CUSTOMERS, maxPages: 1, limit: CHECK_CUSTOMERS, sort: "-1" },
    );
    const total = listed.recordcount ?? listed.items.length;
    print(
      `${total} customer(s) visible to this account${listed.items.length > 0 ? `; the newest ${listed.items.length}:` : "."}`,
    );
    if (listed.items.length > 0) print(customerTable(listed.items));
  });
}

/**
 * Connects, runs `work`, logs out and closes; ERP errors become a CliFailure sentence. Each
 * retry is a line on stderr.
 */
export async function withErp<T>(
  config: Parameters<typeof connectErp>[0],
  logger: Logger,
  work: (connection: ErpConnection) => Promise<T>,
): Promise<T> {
  const connection = await connectErp(config, logger, { onRetry: printRetry });
  try {
    return await work(connection);
  } catch (error) {
    logger.debug({ err: error }, "ERP command failed");
    throw new CliFailure(explainErpError(error, connection.baseUrl), { cause: error });
  } finally {
    await connection.client.logout().catch((error: unknown) => logger.debug({ err: error }, "logout failed"));
    await connection.close();
  }
}

export function cliLogger(level: string): Logger {
  // Command output goes to stdout; only warnings and errors reach stderr.
  return createLogger({ level, stderrLevel: "warn" });
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function customerTable(customers: CustomerSummary[]): string {
  return renderTable(
    ["name", "ord", "owner", "mobile"],
    customers.map((c) => [c.name, c.ord, c.owner || "(public)", c.mobile ? maskMobile(c.mobile) : ""]),
  );
}

/** A plain text table; CJK characters count as two columns so Chinese names line up. */
