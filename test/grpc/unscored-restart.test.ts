/**
 * A lead typed just before a restart is scored: idle timers live in memory, so at start every
 * conversation with unscored messages is scheduled again (due at its last message + idleSeconds),
 * and `wxerp sync` and the control chat's `/erp sync` score such conversations first.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { type GatewayApp, type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

const LEAD = "你好，我是苏州远航科技有限公司的钱七，要20台，预算50万，尽快签合同，电话13812345678";
const MAIN = join(import.meta.dirname, "../../bin/cli.ts");
let gateway: GrpcGateway;
let dataDir: string;

beforeEach(async () => {
  gateway = await startGrpcGateway();
  dataDir = await mkdtemp(join(tmpdir(), "wxerp-unscored-"));
}, 60_000);

afterEach(async () => {
  await gateway?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 120_000);

/** The lead arrives, and the process stops before its idle timer fires. */
async function leadThenStop(idleSeconds: number): Promise<void> {
  const before = await gateway.startApp({ dataDir, config: { scorer: { idleSeconds } } });
  const qian = gateway.customer({ id: "wxid_qian7", name: "钱七" });
  await before.handled(before.says(qian, LEAD));
  expect((await before.app.store.getThread("wxid_qian7"))?.score).toBeUndefined();
  await before.stop();
}

async function thread(wx: GatewayApp) {
  return wx.app.store.getThread("wxid_qian7");
}

it("scores the lead after a restart, at its last message + idleSeconds, and syncs it", async () => {
  await leadThenStop(2);
  const after = await gateway.startApp({ dataDir, config: { scorer: { idleSeconds: 2 } } });
  await waitFor(async () => (await thread(after))?.score !== undefined, "the resumed scoring", 60_000);
  expect(await thread(after)).toMatchObject({ unscored: 0, score: expect.any(Number) });
  await waitFor(async () => (await thread(after))?.erp !== undefined, "the ERP sync of the scored lead", 60_000);
  await after.stop();
}, 180_000);

it("/erp sync in the control chat scores the unscored lead first and queues it", async () => {
  await leadThenStop(3600);
  const after = await gateway.startApp({ dataDir, config: { scorer: { idleSeconds: 3600 } } });
  expect((await thread(after))?.score).toBeUndefined(); // its idle timer is an hour away
  const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
  await after.handled(after.selfSays(filehelper, "/erp sync"));
  await waitFor(() => after.controlReplies().length > 0, "the reply", 30_000);
  expect(after.controlReplies().at(-1)).toMatch(/^🔁 先为 1 个未评分的会话评分；已为 1 个已准入的会话排队同步/);
  await waitFor(async () => (await thread(after))?.erp !== undefined, "the ERP sync", 60_000);
  expect((await thread(after))?.unscored).toBe(0);
  await after.stop();
}, 180_000);

it("wxerp sync scores the unscored lead first and syncs it", async () => {
  await leadThenStop(3600);
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", MAIN, "sync", "--data", dataDir],
      { env: { ...process.env, WXERP_LOCALE: "en", WXERP_LOG_LEVEL: "warn" }, timeout: 110_000 },
      (error, out, err) => (error ? reject(Object.assign(error, { stderr: err })) : resolve({ stdout: out })),
    );
  });
  expect(stdout).toMatch(/^sync: 1 unscored thread\(s\) scored first; 1 thread\(s\) queued; jobs done 1,/);
}, 180_000);
