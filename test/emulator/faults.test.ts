import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EmulatorSnapshot,
  type FailureKind,
  type RunningEmulator,
  startEmulator,
} from "../../plugins/zhibang-erp/emulator/index.ts";
import { createCustomer, listCustomers, login, MOBILE, postRaw, toDatas } from "./helpers.ts";

let emu: RunningEmulator;
let session: string;
/** The emulator's randomness: constant per test, so the fault's variant is chosen by the test. */
let draw = 0.1;

beforeEach(async () => {
  draw = 0.1;
  emu = await startEmulator({ port: 0, random: () => draw });
  session = await login(emu);
});
afterEach(async () => {
  await emu.close();
});

type Outcome = { kind: "reply"; status: number; text: string } | { kind: "error"; error: Error };

/** Posts a follow-up for customer 101 and reports what a client would observe. */
async function postFollowup(intro: string): Promise<Outcome> {
  const body = JSON.stringify({ session, cmdkey: "__sys_dosave", datas: toDatas({ ord: "101", intro, sort: 484, plantype: 0 }) });
  try {
    const response = await fetch(`${emu.url}${MOBILE}/systemmanage/reply.asp?datatype=tel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { kind: "reply", status: response.status, text: await response.text() };
  } catch (error) {
    return { kind: "error", error: error as Error };
  }
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function recorded(intro: string): boolean {
  return emu.snapshot().followups.some((followup) => followup.intro === intro);
}

describe.each(["before", "after"] as const)("injected failures, phase %s", (phase) => {
  const expectApplied = phase === "after";

  it.each<[FailureKind, number]>([
    ["http500", 0.1],
    ["html", 0.1],
    ["html", 0.9],
    ["reset", 0.1],
    ["hang", 0.1],
    ["truncated", 0.1],
    ["truncated", 0.9],
  ])("%s (draw %s): the reply is broken; applied = after", async (kind, value) => {
    draw = value;
    emu.setFaults({ failureRate: 1, failureKinds: [kind], failurePhase: phase, hangMs: 50 });
    const intro = `跟进-${kind}-${value}-${phase}`;
    const outcome = await postFollowup(intro);
    if (kind === "reset" || kind === "hang") expect(outcome.kind).toBe("error");
    if (kind === "http500") expect(outcome).toMatchObject({ kind: "reply", status: 500 });
    if (kind === "html") {
      expect(outcome).toMatchObject({ kind: "reply", status: value < 0.5 ? 200 : 500 });
      expect(outcome.kind === "reply" && outcome.text).toContain("Microsoft VBScript");
    }
    if (kind === "truncated" && value < 0.5) {
      // A complete HTTP response whose JSON stops midway.
      expect(outcome).toMatchObject({ kind: "reply", status: 200 });
      expect(outcome.kind === "reply" && isValidJson(outcome.text)).toBe(false);
    }
    if (kind === "truncated" && value >= 0.5) expect(outcome.kind).toBe("error");
    expect(recorded(intro)).toBe(expectApplied);
    expect(emu.snapshot().failuresInjected).toBe(1);
  });
});

describe("fault scope", () => {
  it("leaves login alone unless applyFailuresToLogin", async () => {
    emu.setFaults({ failureRate: 1, failureKinds: ["http500"] });
    await expect(login(emu)).resolves.toMatch(/^[0-9a-f]{32}$/);
    emu.setFaults({ applyFailuresToLogin: true });
    await expect(login(emu)).rejects.toThrow(/HTTP 500/);
  });

  it("never applies faults or latency to the inspection endpoints", async () => {
    // A 10-minute latency would time the test out if it applied here.
    emu.setFaults({ failureRate: 1, failureKinds: ["reset"], latencyMs: 600_000 });
    const state = await fetch(`${emu.url}/__emulator/state`);
    expect(state.status).toBe(200);
    expect(((await state.json()) as EmulatorSnapshot).customers).toHaveLength(5);
  });

  it("fails no call at rate 0", async () => {
    emu.setFaults({ failureRate: 0, failureKinds: ["reset"] });
    expect((await postFollowup("正常跟进")).kind).toBe("reply");
    expect(recorded("正常跟进")).toBe(true);
  });
});

describe("reply formatting faults", () => {
  it("sends header.status as a string with statusAsString", async () => {
    emu.setFaults({ statusAsString: true });
    const reply = await listCustomers(emu, session);
    expect(reply.header.status).toBe("0");
  });

  it("puts raw control characters into string values with controlChars; a tolerant parser still reads it", async () => {
    await postFollowup("第一行\n第二行");
    emu.setFaults({ controlChars: true });
    const body = JSON.stringify({ session, datas: toDatas({ edit: "1", ord: "101" }) });
    const raw = await postRaw(emu.url, `${MOBILE}/salesmanage/custom/add.asp?edit=1`, body);
    expect(/[\u0000-\u001f]/.test(raw.text)).toBe(true);
    expect(isValidJson(raw.text)).toBe(false);
    const tolerant = JSON.parse(
      raw.text.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    );
    const fields = tolerant.body.bill.groups.flatMap((group: { fields: unknown[] }) => group.fields);
    expect(fields.find((f: { id: string }) => f.id === "telintro").value).toBe("第一行\n第二行");
    expect(fields.find((f: { id: string }) => f.id === "name").value).toBe("上海明达机械有限公司");
  });

  it("sends rows as {value, ord} objects with rowsAsObjects", async () => {
    emu.setFaults({ rowsAsObjects: true });
    const reply = await listCustomers(emu, session, { khid: "KH0001" });
    const row = reply.body.source.table.rows[0];
    expect(row.ord).toBe("101");
    expect(row.value[0]).toBe("上海明达机械有限公司");
  });

  it("uses the configured successText", async () => {
    emu.setFaults({ successText: "操作成功" });
    const outcome = await postFollowup("成功文本");
    expect(outcome.kind === "reply" && JSON.parse(outcome.text).body.message.text).toBe("操作成功");
  });
});

describe("inspection endpoints", () => {
  it("sets faults over HTTP and rejects invalid ones naming the field", async () => {
    const ok = await postRaw(
      emu.url,
      "/__emulator/faults",
      JSON.stringify({ failureRate: 0.25, failureKinds: ["reset", "hang"] }),
    );
    expect(ok.status).toBe(200);
    const current = await (await fetch(`${emu.url}/__emulator/faults`)).json();
    expect(current).toMatchObject({ failureRate: 0.25, failureKinds: ["reset", "hang"] });
    const bad = await postRaw(emu.url, "/__emulator/faults", JSON.stringify({ failureRate: 2 }));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("failureRate");
    const unknownKind = await postRaw(emu.url, "/__emulator/faults", JSON.stringify({ failureKinds: ["explode"] }));
    expect(unknownKind.status).toBe(400);
    expect(emu.snapshot().faults.failureRate).toBe(0.25);
  });

  it("resets to the seed, keeping sessions", async () => {
    await createCustomer(emu, session, { name: "临时公司", person_name: "临" });
    expect(emu.snapshot().customers).toHaveLength(6);
    expect((await postRaw(emu.url, "/__emulator/reset", "")).status).toBe(200);
    const snapshot = emu.snapshot();
    expect(snapshot.customers).toHaveLength(5);
    expect(snapshot.calls.total).toBe(0);
    expect((await listCustomers(emu, session)).header.status).toBe(0);
  });

  it("returns a snapshot that later calls do not change", async () => {
    const before = emu.snapshot();
    await createCustomer(emu, session, { name: "后来公司", person_name: "后" });
    expect(before.customers).toHaveLength(5);
    expect(emu.snapshot().customers).toHaveLength(6);
  });
});

describe("close()", () => {
  it("ends a hanging request promptly", async () => {
    emu.setFaults({ failureRate: 1, failureKinds: ["hang"], failurePhase: "before", hangMs: 600_000 });
    const pending = postFollowup("悬挂");
    while (emu.snapshot().failuresInjected === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await emu.close();
    expect((await pending).kind).toBe("error");
    emu = await startEmulator({ port: 0 }); // afterEach closes this one
  });
});
