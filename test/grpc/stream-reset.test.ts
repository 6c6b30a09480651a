/**
 * No silent gap: when the gateway's event stream ends, wxerp resets the puppet at once
 * (a new stream, then the gateway's start) instead of waiting for the heartbeat watchdog.
 * The watchdog is set far beyond each test here, so only the immediate reset can recover.
 */
import { afterEach, expect, it } from "vitest";
import type { LinkEvent } from "../../src/bot/gateway-link.ts";
import { type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

const FAR_WATCHDOG = { wechat: { timeoutSeconds: 600 } };
let gateway: GrpcGateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
}, 120_000);

it("a gateway restart: the stream end resets the puppet at once, the bot logs in again and takes messages", async () => {
  gateway = await startGrpcGateway();
  const wx = await gateway.startApp({ config: FAR_WATCHDOG });
  const link = wx.app.runtime!.gateway!;
  const events: LinkEvent[] = [];
  link.onEvent((event) => events.push(event));
  const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
  await wx.handled(wx.says(alice, "重启前"));

  await gateway.crash();
  await waitFor(() => events.some((e) => e.kind === "lost"), "the bot to notice the stream end", 30_000);
  await gateway.restart();
  await waitFor(() => link.status().state === "connected", "the reconnection", 60_000);
  await waitFor(() => wx.app.runtime!.isLoggedIn(), "the login after the reconnection", 30_000);
  await wx.handled(wx.says(alice, "重启后"));

  const thread = await wx.app.store.getThread("wxid_alice");
  expect(thread?.messages.map((m) => m.text)).toEqual(["重启前", "重启后"]);
  expect(link.status()).toMatchObject({ state: "connected", reconnects: 1 });
  // A reconnection, not a logout by WeChat: the logout counter a monitor alerts on stays at 0.
  const logouts = await wx.app.registry.getSingleMetricAsString("wxerp_wechat_logouts_total");
  expect(logouts).toMatch(/^wxerp_wechat_logouts_total 0$/m);
  console.info(`gateway restart: stream end → events flowing again in ${link.status().lastGapMs} ms`);
}, 120_000);

it("repeated stream ends leave the puppet with as many listeners as before (no pile-up of watchdog listeners)", async () => {
  gateway = await startGrpcGateway();
  const wx = await gateway.startApp({ config: FAR_WATCHDOG });
  const link = wx.app.runtime!.gateway!;
  const puppet = wx.app.runtime!.bot.puppet as unknown as NodeJS.EventEmitter;
  const before = puppet.listenerCount("heartbeat");
  for (let round = 1; round <= 3; round++) {
    await gateway.crash();
    await waitFor(() => link.status().state !== "connected", `stream end ${round}`, 30_000);
    await gateway.restart();
    await waitFor(() => link.status().state === "connected" && wx.app.runtime!.isLoggedIn(), `reconnection ${round}`, 60_000);
  }
  expect(link.status().reconnects).toBe(3);
  expect(puppet.listenerCount("heartbeat")).toBe(before);
}, 120_000);
