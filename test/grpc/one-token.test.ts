/**
 * One token, one process. The gateway serves one event stream per token; a second process
 * on the same token must not take over or cut the first one's stream.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { PuppetService } from "wechaty-puppet-service";
import type { LinkEvent } from "../../src/bot/gateway-link.ts";
import { GatewayBusyError } from "../../src/bot/gateway-puppet.ts";
import { type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

let gateway: GrpcGateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
}, 120_000);

it("a second wxerp on the same token is refused at start, and the first one keeps receiving", async () => {
  gateway = await startGrpcGateway();
  const first = await gateway.startApp();
  const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
  await first.handled(first.says(alice, "第一条"));

  const error = await gateway.startApp().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayBusyError);
  expect((error as Error).message).toContain("another process is connected with this token");
  expect((error as Error).message).toContain(gateway.endpoint);

  // The refused process stopped without the gateway's stop call: the first stream is intact.
  await first.handled(first.says(alice, "第二个进程被拒绝之后"));
  const thread = await first.app.store.getThread("wxid_alice");
  expect(thread?.messages.map((m) => m.text)).toEqual(["第一条", "第二个进程被拒绝之后"]);
  expect(first.app.runtime!.gateway!.status()).toMatchObject({ state: "connected", reconnects: 0 });
}, 120_000);

it("another client that stops the gateway cuts our stream: wxerp resets at once and keeps receiving", async () => {
  gateway = await startGrpcGateway();
  // The watchdog cannot be what recovers here.
  const wx = await gateway.startApp({ config: { wechat: { timeoutSeconds: 600 } } });
  const link = wx.app.runtime!.gateway!;
  const events: LinkEvent[] = [];
  link.onEvent((event) => events.push(event));
  const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
  await wx.handled(wx.says(alice, "之前"));

  // A client without wxerp's guard (an older wxerp, another Wechaty bot): its stop ends our stream.
  const other = onAnotherMachine(
    () => new PuppetService({ token: gateway!.token, endpoint: gateway!.endpoint, tls: { disable: true } } as never),
  );
  other.on("error", () => undefined);
  await other.start();
  await other.stop();

  await waitFor(() => events.some((e) => e.kind === "connected"), "the reconnection", 60_000);
  await waitFor(() => wx.app.runtime!.isLoggedIn(), "the login after the reconnection", 30_000);
  await wx.handled(wx.says(alice, "之后"));
  const thread = await wx.app.store.getThread("wxid_alice");
  expect(thread?.messages.map((m) => m.text)).toEqual(["之前", "之后"]);
  expect(events.map((e) => e.kind)).toEqual(["lost", "connected"]);
  const gap = events.find((e) => e.kind === "connected")?.gapMs;
  console.info(`stream cut by another client: stream end → events flowing again in ${gap} ms`);
}, 120_000);

/**
 * Builds a client as another machine would: wechaty-puppet-service keeps a LevelDB payload cache
 * under the home directory, one folder per token and account, fixed when the client is built.
 * Two clients of one token in this one test process would share that folder, and LevelDB's lock
 * error on the second open is thrown as an uncaught exception; on two machines they never meet.
 */
function onAnotherMachine<T>(build: () => T): T {
  const home = process.env.HOME;
  process.env.HOME = mkdtempSync(join(tmpdir(), "wxerp-other-home-"));
  try {
    return build();
  } finally {
    process.env.HOME = home;
  }
}
