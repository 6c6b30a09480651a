import { request } from "node:http";
import { ERP_PATHS } from "../../plugins/zhibang-erp/client/paths.ts";
import { startEmulatorProcess } from "./emulator-process.ts";
import { ratio, round } from "./numbers.ts";

/**
 * The ERP's own pace as any client sees it: one bare HTTP POST after another per slot (Node's
 * http, a new connection each, as wxerp sends its writes; no client logic, no parsing), at each
 * concurrency, against the emulator in its own process answering after `latencyMs`. What this
 * costs beyond `latencyMs` (timer slack, the emulator's own work, the loopback) no client can
 * avoid; the sync figure is also compared with it.
 */

export interface RoundTripRow {
  concurrency: number;
  calls: number;
  msPerCall: number;
  /** latencyMs / msPerCall: the share of the nominal latency a bare loop achieves. */
  ratioToLatency: number;
}

export async function measureErpRoundTrip(options: {
  latencyMs: number;
  levels: readonly number[];
  callsPerSlot: number;
}): Promise<RoundTripRow[]> {
  const erp = await startEmulatorProcess({ latencyMs: options.latencyMs, seedDemo: false });
  try {
    const url = new URL(ERP_PATHS.customerList, erp.url);
    for (let i = 0; i < 20; i++) await post(url); // warm both processes up
    const rows: RoundTripRow[] = [];
    for (const concurrency of options.levels) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < options.callsPerSlot; i++) await post(url);
        }),
      );
      const msPerCall = (performance.now() - started) / options.callsPerSlot;
      rows.push({
        concurrency,
        calls: concurrency * options.callsPerSlot,
        msPerCall: round(msPerCall, 2),
        ratioToLatency: ratio(options.latencyMs, msPerCall),
      });
    }
    return rows;
  } finally {
    await erp.close();
  }
}

/** A customer-list read without a session: the ERP refuses it (非法访问) after its latency. */
function post(url: URL): Promise<void> {
  const body = JSON.stringify({ session: "", datas: [] });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "Content-Type": "application/json", "Content-Length": body.length } },
      (response) => {
        response.resume();
        response.on("end", resolve);
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
