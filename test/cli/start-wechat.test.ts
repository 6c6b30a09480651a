/**
 * `wxerp start` with `wechat.puppet: service`, run as a person runs it: what the console
 * says when the gateway is unreachable, when another process holds the token, and when the
 * token is a WorkPro one. Each run is a real process; the gateway is a PuppetServer on loopback.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { freePort, type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

const MAIN = join(import.meta.dirname, "../../bin/cli.ts");
let dataDir: string;
let gateway: GrpcGateway | undefined;
let child: ChildProcessWithoutNullStreams | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "wxerp-start-"));
});

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGINT");
    await new Promise((resolve) => child!.once("exit", resolve));
  }
  await gateway?.stop();
  await rm(dataDir, { recursive: true, force: true });
  child = gateway = undefined;
}, 120_000);

interface Run {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `wxerp start` on the service puppet with the gateway's environment. */
function start(env: Record<string, string>, args: string[] = []): Run {
  child = spawn(process.execPath, ["--import", "tsx", MAIN, "start", ...args], {
    env: {
      ...process.env,
      WXERP_PUPPET: "service",
      WXERP_DEMO: "false",
      WXERP_DATA_DIR: dataDir,
      WXERP_DASHBOARD_PORT: "0",
      WXERP_LOCALE: "en",
      WXERP_LOG_LEVEL: "warn",
      WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT: "true",
      ...env,
    },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
  return { stdout: () => out, stderr: () => err, exited };
}

it("an unreachable gateway: one line with the endpoint, no 'running', then retries until the gateway is up", async () => {
  const port = await freePort();
  const endpoint = `127.0.0.1:${port}`;
  const run = start({ WECHATY_PUPPET_SERVICE_TOKEN: "insecure_start-test", WECHATY_PUPPET_SERVICE_ENDPOINT: endpoint });
  await waitFor(() => run.stdout().includes("Cannot reach the WeChat gateway"), "the unreachable line", 90_000);
  const lines = run.stdout().split("\n");
  expect(lines.filter((l) => l.includes("Cannot reach the WeChat gateway"))).toEqual([
    expect.stringContaining(`Cannot reach the WeChat gateway at ${endpoint} (`),
  ]);
  expect(run.stdout()).toContain("retrying with back-off");
  expect(run.stdout()).not.toContain("The bot is running");

  gateway = await startGrpcGateway({ port, token: "insecure_start-test" });
  await waitFor(() => run.stdout().includes("The bot is running"), "the bot to connect and run", 90_000);
  expect(run.stdout()).toContain(`Connected to the WeChat gateway at ${endpoint}`);
  expect(
    run
      .stdout()
      .split("\n")
      .filter((l) => l.includes("Cannot reach")),
  ).toHaveLength(1);
  // The retries went to the log file, not to the console.
  expect(run.stderr()).toBe("");
  child!.kill("SIGINT");
  expect(await run.exited).toBe(0);
}, 180_000);

it("a second process on the same token stops with one line, and the first keeps receiving", async () => {
  gateway = await startGrpcGateway();
  const first = await gateway.startApp();
  const run = start(gateway.env);
  expect(await run.exited).toBe(1);
  expect(run.stderr().trim().split("\n")).toEqual([
    `wxerp: another process is already connected to the WeChat gateway ${gateway.endpoint} with this WECHATY_PUPPET_SERVICE_TOKEN: stop it first, or give each environment its own token (nothing of the other process was touched)`,
  ]);
  const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
  await first.handled(first.says(alice, "第二个进程退出之后"));
  expect((await first.app.store.getThread("wxid_alice"))?.messages).toHaveLength(1);
}, 180_000);

it("several accounts: the one whose gateway another process holds is named, with its endpoint and token variable", async () => {
  gateway = await startGrpcGateway();
  const held = await startGrpcGateway();
  try {
    await held.startApp();
    const team = join(dataDir, "team.yaml");
    await writeFile(
      team,
      `wechat:\n  accounts:\n    - { id: wang, erpUser: "1", tokenEnv: WXERP_TOKEN_WANG, endpoint: "${gateway.endpoint}" }\n    - { id: li, erpUser: "2", tokenEnv: WXERP_TOKEN_LI, endpoint: "${held.endpoint}" }\n`,
    );
    const run = start(
      {
        WXERP_TOKEN_WANG: gateway.env.WECHATY_PUPPET_SERVICE_TOKEN!,
        WXERP_TOKEN_LI: held.env.WECHATY_PUPPET_SERVICE_TOKEN!,
      },
      ["--config", team],
    );
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim().split("\n")).toEqual([
      `wxerp: WeChat account li: another process is already connected to the WeChat gateway ${held.endpoint} with the token in WXERP_TOKEN_LI: stop it first, or give each environment its own token (nothing of the other process was touched)`,
    ]);
  } finally {
    await held.stop();
  }
}, 240_000);

it("a WorkPro token fails at start with one line saying why", async () => {
  const run = start({ WECHATY_PUPPET_SERVICE_TOKEN: "puppet_workpro_abc123", WECHATY_PUPPET_SERVICE_ENDPOINT: "127.0.0.1:1" });
  expect(await run.exited).toBe(1);
  const lines = run.stderr().trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^wxerp: WECHATY_PUPPET_SERVICE_TOKEN is a WorkPro \(企业微信\) token: wxerp works with personal WeChat only/,
  );
  expect(run.stdout()).not.toContain("running");
}, 120_000);
