/**
 * A gateway reset is a logout and a login in quick succession: the puppet's payload cache is
 * closed and opened again. The open must wait for the close, or LevelDB's lock error escapes as
 * an uncaught exception and takes the bot (or a test run) down.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { GatewayPuppet } from "../../src/bot/gateway-puppet.ts";

interface PayloadCache {
  start(accountId: string): Promise<void>;
  stop(): Promise<void>;
  contact?: { set(id: string, value: unknown): Promise<void>; get(id: string): Promise<unknown> };
}

let home: string | undefined;
beforeEach(() => {
  // The cache lives under the home directory; this test's own, not the user's.
  home = process.env.HOME;
  process.env.HOME = mkdtempSync(join(tmpdir(), "wxerp-cache-home-"));
});
afterEach(() => {
  process.env.HOME = home;
});

it("a login right after a logout reopens the payload cache once the close has released it", async () => {
  const puppet = new GatewayPuppet({ token: "insecure_cache-reopen", endpoint: "127.0.0.1:1" } as never);
  const cache = (puppet as unknown as { _payloadStore: PayloadCache })._payloadStore;
  await cache.start("wxid_sales");
  await cache.contact?.set("wxid_alice", { name: "Alice" });

  for (let round = 0; round < 5; round++) {
    // Upstream calls these from the logout and login events without awaiting the first.
    void cache.stop();
    await cache.start("wxid_sales");
    expect(await cache.contact?.get("wxid_alice")).toEqual({ name: "Alice" });
  }
  await cache.stop();
});
