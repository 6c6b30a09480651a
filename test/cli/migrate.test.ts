import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { HOT, HOT_MOBILE, leadRecords } from "../erp-plugin/conversations.ts";
import { ERP_CREDENTIALS, toJsonl } from "../support/app-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { spawnWxerp, type WxerpChild } from "../support/wxerp-child.ts";

/**
 * `wxerp migrate --from <data dir>` as an operator runs it: a bot that ran on lowdb files
 * (a real `wxerp replay` against the emulator over HTTP) moves to PostgreSQL, and carrying on
 * there creates nothing twice in the ERP, whether its jobs had finished or were cut short.
 */
/** Each test runs four or five `wxerp` children (seconds of start-up each on a loaded machine). */
const TEST_TIMEOUT_MS = 4 * CHILD_PROCESS_TIMEOUT_MS;

type Run = WxerpChild;

function wxerp(args: string[], env: Record<string, string>): Run {
  return spawnWxerp(args, { ...ERP_CREDENTIALS, WXERP_LOG_LEVEL: "warn", ...env });
}

async function ok(run: Run): Promise<string> {
  const result = await run.exited;
  expect([result.code, result.signal], result.stderr).toEqual([0, null]);
  return result.stdout;
}

/** What the ERP holds, as counts a person would check. */
function erpRecords(emulator: RunningEmulator) {
  const snapshot = emulator.snapshot();
  return { customers: snapshot.customers.length, assignments: snapshot.assignments.length, followups: snapshot.followups.length };
}

let dir: string;
let database: TestDatabase;
let emulator: RunningEmulator | undefined;
let running: Run | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "wxerp-migrate-"));
  database = await createTestDatabase();
});
afterEach(async () => {
  running?.child.kill("SIGKILL");
  await emulator?.close();
  emulator = undefined;
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("wxerp migrate --from", () => {
  it(
    "imports a replayed data directory once, and replaying the same file on PostgreSQL adds nothing to the ERP",
    async () => {
      emulator = await startEmulator({ port: 0, seedDemo: false });
      const erp = { WXERP_ERP_BASE_URL: emulator.url };
      const lowdbDir = join(dir, "lowdb-data");
      const first = JSON.parse(await ok(wxerp(["replay", SAMPLE_CONVERSATIONS, "--json", "--data", lowdbDir], erp)));
      expect(first.totals.created).toBeGreaterThan(1);
      const before = erpRecords(emulator);
      expect(before.followups).toBeGreaterThan(0);

      const pg = { ...erp, WXERP_DATABASE_URL: database.url };
      const imported = JSON.parse(await ok(wxerp(["migrate", "--from", lowdbDir, "--json"], pg)));
      expect(imported.threads).toEqual({ imported: first.totals.threads, present: 0 });
      expect(imported.contacts.imported).toBeGreaterThanOrEqual(first.totals.threads);
      expect(imported.seenIds.imported).toBeGreaterThan(0);
      expect(imported.outboxJobs.imported).toBeGreaterThan(0);
      expect(imported.outboxJobs.byState).toMatchObject({ pending: 0, running: 0, failed: 0 });
      expect(imported.nextLocalNo).toBe(first.totals.created + 1);

      // Again: nothing is imported twice.
      const again = JSON.parse(await ok(wxerp(["migrate", "--from", lowdbDir, "--json"], pg)));
      for (const what of ["contacts", "threads", "seenIds", "values", "outboxJobs"])
        expect(again[what], what).toMatchObject({ imported: 0, present: imported[what].imported });

      // The table for a person names what was copied, and the database without its password.
      const table = await ok(wxerp(["migrate", "--from", lowdbDir], pg));
      expect(table).toContain("threads");
      expect(table).toContain("already there");

      // Carry on on PostgreSQL: the same conversations again create, assign and follow up nothing new.
      const second = JSON.parse(await ok(wxerp(["replay", SAMPLE_CONVERSATIONS, "--json", "--data", join(dir, "pg-data")], pg)));
      expect(second.totals.failed).toBe(0);
      expect(erpRecords(emulator)).toEqual(before);
      const status = JSON.parse(await ok(wxerp(["status", "--json", "--data", join(dir, "pg-data")], pg)));
      expect(
        status.threads
          .map((t: { khid: string }) => t.khid)
          .filter(Boolean)
          .sort(),
      ).toEqual(
        first.threads
          .map((t: { erp?: { khid?: string } }) => t.erp?.khid)
          .filter(Boolean)
          .sort(),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a job cut short on lowdb (killed as its assignment was applied) resumes on PostgreSQL from its checkpoint",
    async () => {
      const file = join(dir, "hot.jsonl");
      await writeFile(file, toJsonl([HOT]));
      let killed = false;
      emulator = await startEmulator({
        port: 0,
        async onApplied(call) {
          if (killed || !running || call.operation !== "assign" || !call.ok) return;
          killed = true;
          running.child.kill("SIGKILL");
          await running.exited;
        },
      });
      const erp = { WXERP_ERP_BASE_URL: emulator.url };
      const lowdbDir = join(dir, "lowdb-data");
      running = wxerp(["replay", file, "--json", "--data", lowdbDir], erp);
      expect((await running.exited).signal).toBe("SIGKILL");
      // The follow-up is sent alongside the assignment: it may or may not have landed before the kill.
      expect(leadRecords(emulator.snapshot())).toMatchObject({
        customers: 1,
        assignments: 1,
        followups: expect.toBeOneOf([0, 1]),
      });

      const pg = { ...erp, WXERP_DATABASE_URL: database.url };
      const imported = JSON.parse(await ok(wxerp(["migrate", "--from", lowdbDir, "--json"], pg)));
      expect(imported.outboxJobs.byState.running + imported.outboxJobs.byState.pending).toBe(1);

      await ok(wxerp(["sync", "--data", join(dir, "pg-data")], pg));
      expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
      const [customer] = emulator.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE);
      expect(customer).toMatchObject({ khid: "WX000001", owners: ["123"] });

      await ok(wxerp(["replay", file, "--json", "--data", join(dir, "pg-data")], pg));
      expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    },
    TEST_TIMEOUT_MS,
  );

  it("without WXERP_DATABASE_URL, or from a folder without wxerp data, it exits 2 and says why", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const noDb = await wxerp(["migrate", "--from", dir], {}).exited;
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain("WXERP_DATABASE_URL");
    const typo = await wxerp(["migrate", "--from", join(dir, "dta")], { WXERP_DATABASE_URL: database.url }).exited;
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(join(dir, "dta"));
  });
});
