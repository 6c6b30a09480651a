import { pathToFileURL } from "node:url";
import pMap from "p-map";
import { ErpClient } from "../plugins/zhibang-erp/client/index.ts";
import { EMULATOR_DEFAULT_CREDENTIALS, startEmulator } from "../plugins/zhibang-erp/emulator/index.ts";

/**
 * ERP throughput: how many customers per second the client creates (createCustomer +
 * assign + follow-up) against the emulator with a fixed latency per call, at several
 * concurrencies, compared with the ideal `concurrency / (calls per customer × latency)`.
 *
 *   npx tsx bench/erp-throughput.ts [customers] [latencyMs]
 */

export interface ErpThroughputOptions {
  customers?: number;
  latencyMs?: number;
  concurrencies?: number[];
  /** Customers per concurrency level = customers × concurrency (same run time per level). */
  scaleWithConcurrency?: boolean;
  /** Where the ERP runs (default: the emulator in this process); bench/run.ts uses its own process. */
  startErp?: (latencyMs: number) => Promise<BenchErp>;
}

/** An ERP for the bench: its URL, how many customers it holds, and how to stop it. */
export interface BenchErp {
  url: string;
  customers(): Promise<number>;
  close(): Promise<void>;
}

export interface ErpThroughputRow {
  concurrency: number;
  customers: number;
  seconds: number;
  /** HTTP calls per created customer (allocate, save, read-back, assign, follow-up). */
  callsPerCustomer: number;
  customersPerSecond: number;
  idealCustomersPerSecond: number;
  /** measured / ideal; 1.0 = only the ERP's latency costs time. */
  ratioToIdeal: number;
  /** CPU time of this process per customer (the client's own cost; with an in-process emulator, its cost too). */
  cpuMsPerCustomer: number;
}

export interface ErpThroughputResult {
  latencyMs: number;
  rows: ErpThroughputRow[];
}

export async function benchErpThroughput(options: ErpThroughputOptions = {}): Promise<ErpThroughputResult> {
  const { customers = 1000, latencyMs = 20, concurrencies = [1, 4, 8], startErp = inProcessErp } = options;
  const rows: ErpThroughputRow[] = [];
  for (const concurrency of concurrencies) {
    const count = options.scaleWithConcurrency ? customers * concurrency : customers;
    rows.push(await measure(await startErp(latencyMs), count, latencyMs, concurrency));
  }
  return { latencyMs, rows };
}

async function inProcessErp(latencyMs: number): Promise<BenchErp> {
  const emulator = await startEmulator({ port: 0, latencyMs, seedDemo: false });
  return { url: emulator.url, customers: async () => emulator.snapshot().customers.length, close: () => emulator.close() };
}

async function measure(emulator: BenchErp, customers: number, latencyMs: number, concurrency: number): Promise<ErpThroughputRow> {
  const erp = new ErpClient({ baseUrl: emulator.url, ...EMULATOR_DEFAULT_CREDENTIALS });
  try {
    await erp.login();
    const callsBefore = erp.stats().calls;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await pMap(
      Array.from({ length: customers }, (_, i) => i + 1),
      (n) => createAssignFollow(erp, n),
      { concurrency },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const callsPerCustomer = (erp.stats().calls - callsBefore) / customers;
    const customersPerSecond = customers / seconds;
    const idealCustomersPerSecond = concurrency / (callsPerCustomer * (latencyMs / 1000));
    const stored = await emulator.customers();
    if (stored !== customers) throw new Error(`bench: the emulator holds ${stored} customers, expected ${customers}`);
    return {
      concurrency,
      customers,
      seconds,
      callsPerCustomer,
      customersPerSecond,
      idealCustomersPerSecond,
      ratioToIdeal: customersPerSecond / idealCustomersPerSecond,
      cpuMsPerCustomer: (cpu.user + cpu.system) / 1000 / customers,
    };
  } finally {
    erp.close();
    await emulator.close();
  }
}

/** One customer the way the sync creates it: create (allocate, save, read back), assign, follow-up. */
async function createAssignFollow(erp: ErpClient, n: number): Promise<void> {
  const khid = `WX${String(n).padStart(6, "0")}`;
  const mobile = `139${String(n).padStart(8, "0")}`;
  const { ord } = await erp.createCustomer({
    intsort: 1,
    name: `基准测试公司${khid}`,
    khid,
    sort1: "17,146",
    ly: 171,
    jz: 289,
    personName: "测试联系人",
    mobile,
    intro: "微信咨询，意向明确",
  });
  await erp.assignCustomer(ord, { mode: "users", users: ["123"] });
  await erp.addFollowup(ord, { intro: "首次沟通：客户询问报价" });
}

export function formatThroughput(result: ErpThroughputResult): string {
  const header = "concurrency  customers  seconds  calls/customer  customers/s  ideal/s  ratio";
  const lines = result.rows.map((r) =>
    [
      String(r.concurrency).padStart(11),
      String(r.customers).padStart(9),
      r.seconds.toFixed(1).padStart(7),
      r.callsPerCustomer.toFixed(2).padStart(14),
      r.customersPerSecond.toFixed(2).padStart(11),
      r.idealCustomersPerSecond.toFixed(2).padStart(7),
      r.ratioToIdeal.toFixed(2).padStart(5),
    ].join("  "),
  );
  return [`ERP throughput against the emulator at ${result.latencyMs} ms per call`, header, ...lines].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const customers = process.argv[2] ? Number(process.argv[2]) : undefined;
  const latencyMs = process.argv[3] ? Number(process.argv[3]) : undefined;
  const result = await benchErpThroughput({
    ...(customers !== undefined ? { customers } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  });
  process.stdout.write(`${formatThroughput(result)}\n`);
}
