import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "./emulator-core.ts";
import { EmulatorFaultsError } from "./faults.ts";
import { StageMoveError } from "./stages.ts";
import type { ContactRecord, CustomerRecord, EmulatorState } from "./state.ts";
import type { ContactSnapshot, CustomerSnapshot, EmulatorFaults, EmulatorSnapshot } from "./types.ts";

/**
 * The inspection API for tests and the soak (never subject to faults or latency):
 * GET /__emulator/state, GET|POST /__emulator/faults, POST /__emulator/expire-sessions,
 * POST /__emulator/unlock (clears a captcha lock, keeps the data), POST /__emulator/reset,
 * POST /__emulator/stage {khid|ord, stage} (moves a customer's 跟进程度, stages.ts).
 */

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function customerSnapshot(customer: CustomerRecord): CustomerSnapshot {
  const form = customer.form;
  return {
    ord: String(customer.ord),
    khid: customer.khid,
    name: form.name ?? "",
    intsort: customer.intsort,
    ly: form.ly ?? "",
    jz: form.jz ?? "",
    sort1: form.sort1 ?? "",
    person_name: form.person_name ?? "",
    mobile: form.mobile ?? "",
    weixinAcc: form.weixinAcc ?? "",
    email: form.email ?? "",
    address: form.address ?? "",
    intro: form.intro ?? "",
    owners: [...customer.owners],
    public: customer.isPublic,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    telintro: customer.telintro,
    fields: { ...form },
  };
}

function contactSnapshot(contact: ContactRecord): ContactSnapshot {
  const form = contact.form;
  return {
    ord: String(contact.ord),
    company: String(contact.company),
    person_name: form.person_name ?? "",
    mobile: form.mobile ?? "",
    phone: form.phone ?? "",
    job: form.job ?? "",
    email: form.email ?? "",
    weixinAcc: form.weixinAcc ?? "",
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
    fields: { ...form },
  };
}

/** Plain JSON copy of the state: later calls do not change a snapshot already taken. */
export function buildSnapshot(state: EmulatorState, captchas: Record<string, string>, faults: EmulatorFaults): EmulatorSnapshot {
  return {
    customers: [...state.customers.values()].sort((a, b) => a.ord - b.ord).map(customerSnapshot),
    assignments: state.assignments.map((record) => ({ ...record })),
    followups: state.followups.map((record) => ({ ...record })),
    contacts: [...state.contacts.values()].sort((a, b) => a.ord - b.ord).map(contactSnapshot),
    users: state.users.map((user) => ({ ...user })),
    calls: { ...state.calls },
    failuresInjected: state.failuresInjected,
    failuresByKind: { ...state.failuresByKind },
    silentNonSaves: state.silentNonSaves,
    sessionExpiries: state.sessionExpiries,
    allocatedOrds: state.allocatedOrds,
    peakConcurrentCalls: state.peakConcurrentCalls,
    captchas: { ...captchas },
    faults: { ...faults, failureKinds: [...faults.failureKinds] },
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response
    .writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) })
    .end(body);
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  return JSON.parse(text);
}

/** Handles one /__emulator/... request. `bodyText` is the request body already read. */
export function handleInspection(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  bodyText: string,
): void {
  const action = `${request.method ?? "GET"} ${path.replace(/\/$/, "")}`;
  if (action === "GET /__emulator/state") sendJson(response, 200, core.snapshot());
  else if (action === "GET /__emulator/faults") sendJson(response, 200, core.faults);
  else if (action === "POST /__emulator/faults") setFaults(core, response, bodyText);
  else if (action === "POST /__emulator/expire-sessions") {
    core.sessions.expireAll();
    sendJson(response, 200, { ok: true });
  } else if (action === "POST /__emulator/unlock") unlock(core, response, bodyText);
  else if (action === "POST /__emulator/stage") moveStage(core, response, bodyText);
  else if (action === "POST /__emulator/reset") {
    core.reset();
    sendJson(response, 200, { ok: true });
  } else sendJson(response, 404, { error: `no inspection endpoint ${action}` });
}

/** `{}` unlocks every username, `{"user": "wxerp"}` one; answers which were locked. */
function unlock(core: EmulatorCore, response: ServerResponse, bodyText: string): void {
  let user: unknown;
  try {
    user = (parseJson(bodyText) as { user?: unknown } | null)?.user;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    sendJson(response, 400, { error: error.message });
    return;
  }
  if (user === undefined || (typeof user === "string" && user.trim() !== ""))
    sendJson(response, 200, { ok: true, unlocked: core.guard.unlock(user?.trim()) });
  else sendJson(response, 400, { error: "user must be a user name, or left out to unlock every user" });
}

function setFaults(core: EmulatorCore, response: ServerResponse, bodyText: string): void {
  try {
    core.setFaults(parseJson(bodyText));
    sendJson(response, 200, { ok: true, faults: core.faults });
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof EmulatorFaultsError)) throw error;
    sendJson(response, 400, { error: error.message });
  }
}

/** `{"khid": "WX000001", "stage": "重点客户"}` (or `"ord"`; the stage by id or name); 404 for an unknown customer. */
function moveStage(core: EmulatorCore, response: ServerResponse, bodyText: string): void {
  let body: { khid?: unknown; ord?: unknown; stage?: unknown };
  try {
    body = (parseJson(bodyText) ?? {}) as typeof body;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    sendJson(response, 400, { error: error.message });
    return;
  }
  const ref =
    typeof body.khid === "string"
      ? body.khid
      : typeof body.ord === "string" || typeof body.ord === "number"
        ? String(body.ord)
        : "";
  if (ref.trim() === "" || typeof body.stage !== "string" || body.stage.trim() === "") {
    sendJson(response, 400, {
      error: 'send {"khid": "WX000001", "stage": "重点客户"} (or "ord" instead of "khid"; the stage by id or name)',
    });
    return;
  }
  try {
    sendJson(response, 200, { ok: true, ...core.moveStage(ref, body.stage) });
  } catch (error) {
    if (!(error instanceof StageMoveError)) throw error;
    sendJson(response, error.message.startsWith("no customer") ? 404 : 400, { error: error.message });
  }
}
