import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { startAppFixture } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE } from "./conversations.ts";

/**
 * A sync job's checkpoint saves are written to the outbox journal lazily (adjacent saves share
 * one append), but what a step recorded before an ERP write must be on disk before that write is
 * sent. Here the emulator holds each write's reply and reads the job's checkpoint from the
 * outbox files on disk, as a restarted bot would find it at that moment.
 */
describe("checkpoints on disk at the moment of each ERP write", () => {
  let emulator: RunningEmulator | undefined;
  let dataDir = "";

  afterEach(async () => {
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("save: the khid and the ord; assign: the link and the target; follow-up: the link, its text and number", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "wxerp-checkpoints-"));
    const seen: Record<string, Record<string, unknown> | undefined> = {};
    emulator = await startEmulator({
      port: 0,
      async onApplied(call) {
        if (["save", "assign", "followup"].includes(call.operation) && call.ok) {
          seen[call.operation] = await checkpointOnDisk(join(dataDir, "outbox"), HOT.contact.id);
        }
      },
    });
    const fx = await startAppFixture({ erpUrl: emulator.url, dataDir });
    try {
      expect((await fx.replay([HOT])).totals).toMatchObject({ created: 1, failed: 0 });
    } finally {
      await fx.stop();
    }
    const customer = emulator.snapshot().customers.find((c) => c.mobile === HOT_MOBILE);
    expect(seen.save).toMatchObject({ khid: "WX000001", allocatedOrd: String(customer!.ord) });
    expect(seen.assign).toMatchObject({
      link: { ord: String(customer!.ord), khid: "WX000001", createdNew: true },
      assignTarget: { mode: "users", users: ["123"] },
    });
    // The follow-up is sent alongside the assignment (sync-job.ts): its own text and number are on
    // disk, with the link; whether the assignment is recorded done yet depends on which answer came first.
    expect(seen.followup).toMatchObject({
      link: { ord: String(customer!.ord), khid: "WX000001", createdNew: true },
      followupSequence: 1,
    });
    expect(seen.followup!.followupIntro).toMatch(/\[wxerp WX000001#1\/[0-9a-f]{6}\]$/);
    const posted = emulator.snapshot().followups.filter((f) => f.ord === customer!.ord);
    expect(posted.map((f) => f.intro)).toEqual([seen.followup!.followupIntro]);
  });
});

/** The sync job's checkpoint for `key` as the outbox files on disk hold it (snapshot, then journal). */
async function checkpointOnDisk(dir: string, key: string): Promise<Record<string, unknown> | undefined> {
  const snapshot = JSON.parse(await readFile(join(dir, "outbox.json"), "utf8").catch(() => '{"jobs":[]}')) as {
    jobs: Array<{ id: string; key: string; kind: string; checkpoint: Record<string, unknown> }>;
  };
  const jobs = new Map(snapshot.jobs.map((job) => [job.id, job]));
  const journal = await readFile(join(dir, "outbox.journal.jsonl"), "utf8").catch(() => "");
  for (const line of journal.split("\n").filter((l) => l.endsWith("}"))) {
    const entry = JSON.parse(line) as {
      put?: { id: string; key: string; kind: string; checkpoint: Record<string, unknown> };
      del?: string;
    };
    if (entry.put) jobs.set(entry.put.id, entry.put);
    else if (entry.del) jobs.delete(entry.del);
  }
  return [...jobs.values()].find((job) => job.key === key && job.kind === "erp.sync")?.checkpoint;
}
