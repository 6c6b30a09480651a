import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { emulatorOptionsFromFlags } from "../../plugins/zhibang-erp/cli/emulator-command.ts";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { UsageError } from "../../src/cli/exit.ts";
import { wxerp } from "../bad-input/support/cli.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { createCustomer, listCustomers, login, rowsById } from "./helpers.ts";

/**
 * Moving customers along their 跟进程度 as a salesperson would in the ERP: the inspection
 * endpoint, the `stages` option, the `wxerp erp emulator stage` command, and what the
 * customer list (sort1name) then shows to any client.
 */

const started: RunningEmulator[] = [];
afterEach(async () => {
  for (const emulator of started.splice(0)) await emulator.close();
});

async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  started.push(emu);
  return emu;
}

async function stageOf(emu: RunningEmulator, khid: string): Promise<string | undefined> {
  const session = await login(emu);
  const rows = rowsById(await listCustomers(emu, session, { khid, pagesize: 100 }));
  const ord = emu.snapshot().customers.find((c) => c.khid === khid)?.ord;
  return rows.find((row) => row.ord === ord)?.sort1name;
}

async function move(emu: RunningEmulator, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emu.url}/__emulator/stage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("POST /__emulator/stage", () => {
  it("moves a customer by khid or ord, by stage name or id; the list's sort1name shows it", async () => {
    const emu = await emulator();
    expect(await stageOf(emu, "KH0001")).toBe("重点客户");
    const byKhid = await move(emu, { khid: "kh0001", stage: "已成交" });
    expect(byKhid).toEqual({
      status: 200,
      json: { ok: true, ord: "101", khid: "KH0001", from: "重点客户", to: { id: "150", text: "已成交" } },
    });
    expect(await stageOf(emu, "KH0001")).toBe("已成交");
    const byOrd = await move(emu, { ord: 101, stage: "148" });
    expect(byOrd.json).toMatchObject({ from: "已成交", to: { text: "多次接触" } });
    expect(await stageOf(emu, "KH0001")).toBe("多次接触");
    // Moves are not ERP calls: the call counters stay as the client left them.
    expect(emu.snapshot().calls.save).toBe(0);
  });

  it("refuses a stage of another category naming the choices, an unknown customer with 404, a bad body with 400", async () => {
    const emu = await emulator();
    const wrong = await move(emu, { khid: "KH0001", stage: "已签约" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe(
      'no stage "已签约" in the category 终端客户; choose from 146 潜在客户, 148 多次接触, 149 重点客户, 150 已成交',
    );
    expect(await stageOf(emu, "KH0001")).toBe("重点客户");
    expect((await move(emu, { khid: "WX999999", stage: "已成交" })).status).toBe(404);
    expect((await move(emu, { stage: "已成交" })).status).toBe(400);
    const broken = await fetch(`${emu.url}/__emulator/stage`, { method: "POST", body: "{" });
    expect(broken.status).toBe(400);
  });

  it("stages option: a customer saved later with a planned khid lands at its stage; an unknown stage stops the start", async () => {
    const emu = await emulator({ seedDemo: false, stages: { WX000002: "重点客户" } });
    const session = await login(emu);
    await createCustomer(emu, session, { name: "计划客户一", khid: "WX000001", person_name: "甲", mobile: "13800000001" });
    await createCustomer(emu, session, { name: "计划客户二", khid: "WX000002", person_name: "乙", mobile: "13800000002" });
    expect(await stageOf(emu, "WX000001")).toBe("潜在客户");
    expect(await stageOf(emu, "WX000002")).toBe("重点客户");
    await expect(startEmulator({ port: 0, stages: { WX000001: "快成交了" } })).rejects.toThrow(
      'stages: no category has the stage "快成交了" (planned for WX000001)',
    );
  });

  it("the embedded ERP keeps a move across a restart (its state file)", async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "wxerp-stage-")), "embedded-erp.json");
    const first = await startEmulator({ port: 0, stateFile });
    await move(first, { khid: "KH0001", stage: "已成交" });
    await first.close();
    const second = await emulator({ stateFile });
    expect(await stageOf(second, "KH0001")).toBe("已成交");
  });
});

describe("wxerp erp emulator --stages", () => {
  it("reads khid=stage pairs, and a malformed pair is a usage error naming the flag", () => {
    expect(emulatorOptionsFromFlags({ stages: "WX000001=重点客户, WX000002=150" }).stages).toEqual({
      WX000001: "重点客户",
      WX000002: "150",
    });
    expect(() => emulatorOptionsFromFlags({ stages: "WX000001" })).toThrow(UsageError);
    expect(() => emulatorOptionsFromFlags({ stages: "WX000001" })).toThrow(
      '--stages: "WX000001" is not khid=stage (e.g. WX000001=重点客户)',
    );
  });
});

describe("wxerp erp emulator stage", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it("moves a customer of a running emulator and says from where to where; a wrong stage exits 1 with the choices", async () => {
    const emu = await emulator();
    const ok = await wxerp(["erp", "emulator", "stage", "KH0001", "已成交", "--url", emu.url]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("KH0001 (ord 101): 重点客户 → 已成交 (150)\n");
    expect(await stageOf(emu, "KH0001")).toBe("已成交");
    // The URL may also come from WXERP_ERP_BASE_URL, as for every other ERP command.
    const wrong = await wxerp(["erp", "emulator", "stage", "101", "成交啦"], { WXERP_ERP_BASE_URL: emu.url });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('no stage "成交啦" in the category 终端客户; choose from 146 潜在客户');
    expect(await stageOf(emu, "KH0001")).toBe("已成交");
  });
});
