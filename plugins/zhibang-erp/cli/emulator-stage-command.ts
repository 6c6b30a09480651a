import { CliFailure, UsageError } from "../../../src/plugin-api.ts";

/**
 * `wxerp erp emulator stage <khid|ord> <stage> [--url]`: moves a customer of a running
 * emulator along its 跟进程度, as a salesperson does in the real ERP, through
 * POST /__emulator/stage. Only an emulator has that endpoint: a real ERP answers 404.
 */

export interface EmulatorStageOptions {
  url?: string;
}

const DEFAULT_EMULATOR_URL = "http://127.0.0.1:18080";

export function emulatorUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = (flag ?? env.WXERP_ERP_BASE_URL ?? DEFAULT_EMULATOR_URL).trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be the emulator's http:// address (got "${url}")`);
  return url;
}

export async function runEmulatorStage(ref: string, stage: string, options: EmulatorStageOptions): Promise<void> {
  const url = emulatorUrl(options.url);
  const body = JSON.stringify(/^\d+$/.test(ref.trim()) ? { ord: ref.trim(), stage } : { khid: ref.trim(), stage });
  let response: Response;
  try {
    response = await fetch(`${url}/__emulator/stage`, { method: "POST", headers: { "content-type": "application/json" }, body });
  } catch (error) {
    throw new CliFailure(
      `no emulator answers at ${url} (${(error as Error).message}); start one with wxerp erp emulator, or pass --url`,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  let reply: { error?: string; khid?: string; ord?: string; from?: string; to?: { id: string; text: string } } = {};
  try {
    reply = JSON.parse(text) as typeof reply;
  } catch {
    // A server that is not the emulator: its status says enough.
  }
  if (!response.ok) {
    if (response.status === 404 && reply.error === undefined)
      throw new CliFailure(`${url} has no /__emulator/stage: only the wxerp ERP emulator can move stages`);
    throw new CliFailure(reply.error ?? `the emulator answered HTTP ${response.status}`);
  }
  process.stdout.write(`${reply.khid} (ord ${reply.ord}): ${reply.from || "(none)"} → ${reply.to?.text} (${reply.to?.id})\n`);
}
