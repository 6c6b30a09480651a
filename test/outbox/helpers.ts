import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LowdbOutbox, type LowdbOutboxOptions } from "../../src/outbox/index.ts";

/** A temporary outbox directory per test, removed afterwards. */
export async function tempDir(prefix = "wxerp-outbox-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const TEST_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

export async function openOutbox(dir: string, options: Partial<LowdbOutboxOptions> = {}): Promise<LowdbOutbox> {
  const outbox = new LowdbOutbox({ dir, backoff: TEST_BACKOFF, ...options });
  await outbox.open();
  return outbox;
}
