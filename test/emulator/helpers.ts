import { EMULATOR_DEFAULT_CREDENTIALS, type RunningEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";

/** Raw HTTP helpers for the emulator tests: what any client would send, no client library. */

export interface RawReply {
  status: number;
  text: string;
  contentType: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed ZBDocuments.
export type Json = any;

export type Datas = Record<string, string | number>;

export const MOBILE = "/sysa/mobilephone";

export async function postRaw(
  baseUrl: string,
  path: string,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<RawReply> {
  const response = await fetch(baseUrl + path, { method: "POST", headers, body });
  return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") ?? "" };
}

export function toDatas(datas: Datas): { id: string; val: string | number }[] {
  return Object.entries(datas).map(([id, val]) => ({ id, val }));
}

/** POSTs a PostClass {session, cmdkey, datas} as strict JSON and parses the reply. */
export async function zsml(
  emu: RunningEmulator,
  path: string,
  post: { session?: string; cmdkey?: string; datas?: Datas },
): Promise<Json> {
  const body = JSON.stringify({ session: post.session ?? "", cmdkey: post.cmdkey ?? "", datas: toDatas(post.datas ?? {}) });
  const reply = await postRaw(emu.url, path, body);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text);
}

export async function login(emu: RunningEmulator, path = "/webapi/v3/ov1/login", serialnum = "wxerp-test-0001"): Promise<string> {
  const reply = await zsml(emu, path, {
    datas: {
      user: `txt:${EMULATOR_DEFAULT_CREDENTIALS.username}`,
      password: `txt:${EMULATOR_DEFAULT_CREDENTIALS.password}`,
      serialnum,
    },
  });
  if (reply.header.status !== 0) throw new Error(`login failed: ${reply.header.message}`);
  return reply.header.session as string;
}

export async function v3(emu: RunningEmulator, path: string, token: string, body: Record<string, unknown>): Promise<Json> {
  const reply = await postRaw(emu.url, path, JSON.stringify(body), { "content-type": "application/json", "ZBAPI-Token": token });
  return JSON.parse(reply.text);
}

/** Allocates an ord and saves a company customer; returns the ord as the bill gave it. */
export async function createCustomer(emu: RunningEmulator, session: string, fields: Datas, intsort = 1): Promise<string> {
  const allocated = await zsml(emu, `${MOBILE}/salesmanage/custom/add.asp`, { session, datas: { edit: "0", intsort } });
  const ord = String(allocated.body.bill.value);
  const saved = await zsml(emu, `${MOBILE}/salesmanage/custom/add.asp?intsort=${intsort}`, {
    session,
    cmdkey: "__sys_dosave",
    datas: { ord, sort1: "17,146", ly: "171", ...fields },
  });
  if (saved.body.message.text !== "保存成功") throw new Error(`save failed: ${saved.body.message.text}`);
  return ord;
}

/** The list as objects zipped by cols[].id (never by index). */
export function rowsById(reply: Json): Record<string, string>[] {
  const table = reply.body.source.table;
  const ids: string[] = table.cols.map((col: { id: string }) => col.id);
  return table.rows.map((row: string[]) => Object.fromEntries(ids.map((id, index) => [id, row[index]])));
}

export async function listCustomers(emu: RunningEmulator, session: string, datas: Datas = {}): Promise<Json> {
  return zsml(emu, `${MOBILE}/salesmanage/custom/list.asp`, { session, cmdkey: "refresh", datas });
}

/** Reads a bill field by id: value when non-empty, else text (docs/zhibang-protocol.md §5.3). */
export function billField(reply: Json, id: string): { value: string; text: string } | undefined {
  for (const group of reply.body.bill.groups) {
    for (const field of group.fields) if (field.id === id) return { value: String(field.value), text: String(field.text) };
  }
  return undefined;
}
