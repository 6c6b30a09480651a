import { afterEach } from "vitest";
import { ErpClient } from "../../plugins/zhibang-erp/client/index.ts";
import type { ErpCallEvent, ErpClientOptions } from "../../plugins/zhibang-erp/client/types.ts";
import {
  EMULATOR_DEFAULT_CREDENTIALS,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from "../../plugins/zhibang-erp/emulator/index.ts";

/**
 * The ERP emulator on 127.0.0.1 (port 0) and a client pointed at it; both closed after
 * each test. Retry delays are short so fault tests finish quickly.
 */

const running: Array<{ emulator: RunningEmulator; clients: ErpClient[] }> = [];

afterEach(async () => {
  for (const { emulator, clients } of running.splice(0)) {
    for (const client of clients) client.close();
    await emulator.close();
  }
});

export interface Fixture {
  emulator: RunningEmulator;
  erp: ErpClient;
  events: ErpCallEvent[];
  /** Another client on the same emulator (e.g. with a wrong password). */
  client(options?: Partial<ErpClientOptions>): ErpClient;
}

export async function withEmulator(
  options: EmulatorOptions = {},
  clientOptions: Partial<ErpClientOptions> = {},
): Promise<Fixture> {
  const emulator = await startEmulator({ port: 0, ...options });
  const entry = { emulator, clients: [] as ErpClient[] };
  running.push(entry);
  const events: ErpCallEvent[] = [];
  const client = (extra: Partial<ErpClientOptions> = {}): ErpClient => {
    const erp = new ErpClient({
      baseUrl: emulator.url,
      username: EMULATOR_DEFAULT_CREDENTIALS.username,
      password: EMULATOR_DEFAULT_CREDENTIALS.password,
      retries: 4,
      retryBaseMs: 20,
      retryMaxMs: 200,
      timeoutMs: 5000,
      onCall: (event) => events.push(event),
      ...clientOptions,
      ...extra,
    });
    entry.clients.push(erp);
    return erp;
  };
  return { emulator, erp: client(), events, client };
}

/** A valid company customer; the khid makes it unique. */
export function companyInput(khid: string, overrides: Record<string, unknown> = {}) {
  return {
    intsort: 1 as const,
    name: `测试公司${khid}`,
    khid,
    sort1: "17,146",
    ly: 171,
    jz: 289,
    personName: "张三",
    mobile: "13800138000",
    intro: "微信咨询MES系统",
    ...overrides,
  };
}
