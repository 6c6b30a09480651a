import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AppConfig, Logger } from "../../src/plugin-api.ts";
import { ErpClient } from "./client/index.ts";
import type { ErpCallEvent, ErpRetryProgress } from "./client/types.ts";
import { EMULATOR_DEFAULT_CREDENTIALS, type EmulatorOptions, type RunningEmulator, startEmulator } from "./emulator/index.ts";

/**
 * The ERP as configured: `erp.baseUrl: embedded` starts the emulator
 * in-process on a free loopback port and logs in with its demo account; a URL uses
 * WXERP_ERP_USERNAME / WXERP_ERP_PASSWORD from the environment.
 */

export interface ErpConnection {
  client: ErpClient;
  /** Set when `erp.baseUrl` is `embedded`. */
  emulator?: RunningEmulator;
  baseUrl: string;
  /** Releases connections and stops the embedded emulator. Does not log out (call client.logout() first if wanted). */
  close(): Promise<void>;
}

export interface ConnectErpOptions {
  onCall?: (event: ErpCallEvent) => void;
  /** Before each retry of an ERP call (a command line prints it). */
  onRetry?: (progress: ErpRetryProgress) => void;
  /** Extra options for the embedded emulator (tests, benches). */
  emulator?: Partial<EmulatorOptions>;
}

export async function connectErp(config: AppConfig, logger: Logger, options: ConnectErpOptions = {}): Promise<ErpConnection> {
  const erpLogger = logger.child({ module: "erp-client" });
  if (config.erp.baseUrl === "embedded") {
    mkdirSync(config.dataDir, { recursive: true });
    const { latencyMs, jitterMs, sessionTtlSeconds } = config.erp.emulator;
    const emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      latencyMs,
      jitterMs,
      sessionTtlSeconds,
      // The embedded ERP lives in the data directory, beside the threads linked to it.
      stateFile: join(config.dataDir, "embedded-erp.json"),
      ...options.emulator,
    });
    logger.info({ url: emulator.url }, "embedded ERP emulator started");
    const client = new ErpClient({
      ...clientSettings(config, erpLogger, options),
      baseUrl: emulator.url,
      ...EMULATOR_DEFAULT_CREDENTIALS,
    });
    return {
      client,
      emulator,
      baseUrl: emulator.url,
      close: async () => {
        client.close();
        await emulator.close();
      },
    };
  }
  const { erpUsername, erpPassword } = config.secrets;
  if (!erpUsername || !erpPassword) {
    // loadConfig already refuses this; a hand-built config must not reach the ERP with empty credentials.
    throw new Error("WXERP_ERP_USERNAME and WXERP_ERP_PASSWORD must be set when erp.baseUrl is a real ERP");
  }
  const baseUrl = config.erp.baseUrl;
  const client = new ErpClient({
    ...clientSettings(config, erpLogger, options),
    baseUrl,
    username: erpUsername,
    password: erpPassword,
  });
  return {
    client,
    baseUrl,
    close: async () => client.close(),
  };
}

function clientSettings(config: AppConfig, logger: Logger, options: ConnectErpOptions) {
  const { serialnum, timeoutMs, retries, retryBaseMs, retryMaxMs, pageSize } = config.erp;
  return {
    serialnum,
    timeoutMs,
    retries,
    retryBaseMs,
    retryMaxMs,
    pageSize,
    logger,
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  };
}
