import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { storeFixture } from "./store-fixture.ts";

const { openStore, reopen, message, dir: currentDir } = storeFixture();

describe("LowdbThreadStore: shard layout growth", () => {
  it("spreads a growing store over more shard files while it runs, losing nothing", async () => {
    const small = { initialShards: 2, maxRecordsPerShard: 8 };
    let store = await openStore(small);
    const numbers: number[] = [];
    for (let i = 0; i < 50; i++) {
      await store.upsertContact({ id: `t${i}`, name: `客户${i}` });
      await store.updateThread(`t${i}`, (t) => t.messages.push(message(`m${i}`)));
      if (i % 10 === 0) numbers.push(await store.assignLocalNo(`t${i}`));
      if (i % 10 === 5) await store.updateThread(`t${i}`, (t) => (t.erp = { ord: `ord${i}`, khid: `WX${i}` }));
    }
    await store.flush();
    const shards = store.stats().threadShards;
    expect(shards).toBeGreaterThanOrEqual(8);
    expect((await readdir(currentDir())).filter((name) => name.startsWith("threads-"))).toEqual([`threads-${shards}`]);
    store = await reopen(store, small);
    expect(store.stats().threadShards).toBe(shards);
    expect((await store.listThreads()).length).toBe(50);
    expect((await store.getThread("t42"))?.messages[0]?.id).toBe("m42");
    expect(await Promise.all([0, 10, 20, 30, 40].map(async (i) => (await store.getContact(`t${i}`))?.localNo))).toEqual(numbers);
    expect(await Promise.all([5, 15, 25, 35, 45].map(async (i) => (await store.threadsLinkedTo(`ord${i}`))[0]?.id))).toEqual([
      "t5",
      "t15",
      "t25",
      "t35",
      "t45",
    ]);
  });

  it("keeps the look-ups of the sync job answering while the layout grows and after", async () => {
    const small = { initialShards: 2, maxRecordsPerShard: 4 };
    let store = await openStore(small);
    for (let i = 0; i < 40; i++) {
      await store.upsertContact({ id: `t${i}`, name: `客户${i}`, wechatPhone: `138000000${String(i).padStart(2, "0")}` });
      await store.updateThread(`t${i}`, (t) => (t.erp = { ord: `ord${i}`, khid: `WX${i}` }));
      expect((await store.threadsWithMobile("13800000000")).map((t) => t.id)).toEqual(["t0"]);
      expect((await store.threadsLinkedTo(`ord${i}`)).map((t) => t.id)).toEqual([`t${i}`]);
    }
    await store.flush();
    expect(store.stats().threadShards).toBeGreaterThan(2);
    await store.upsertContact({ id: "t39", name: "客户39", wechatPhone: "13900000039" });
    expect((await store.threadsWithMobile("13800000039")).map((t) => t.id)).toEqual([]);
    store = await reopen(store, small);
    expect((await store.threadsWithMobile("13900000039")).map((t) => t.id)).toEqual(["t39"]);
    expect((await store.threadsWithMobile("13800000017")).map((t) => t.id)).toEqual(["t17"]);
    expect((await store.threadsLinkedTo("ord23")).map((t) => t.id)).toEqual(["t23"]);
  });

  it("spreads long histories over more shard files too (by bytes, not only by count)", async () => {
    const store = await openStore({ initialShards: 2, maxShardBytes: 8 * 1024, historyPerThread: 200 });
    for (let round = 0; round < 40; round++) {
      for (let t = 0; t < 4; t++)
        await store.updateThread(`long${t}`, (thread) =>
          thread.messages.push(message(`m${t}-${round}`, "很长的消息".repeat(20))),
        );
      await store.flush();
    }
    expect(store.stats().threadShards).toBeGreaterThan(2);
    const reopened = await reopen(store, { initialShards: 2, maxShardBytes: 8 * 1024, historyPerThread: 200 });
    expect((await reopened.getThread("long3"))?.messages).toHaveLength(40);
  });

  it("spreads a store that outgrew its layout when it opens", async () => {
    let store = await openStore({ initialShards: 2, maxRecordsPerShard: 1000 });
    for (let i = 0; i < 50; i++) await store.updateThread(`t${i}`, (t) => t.messages.push(message(`m${i}`)));
    expect(store.stats().threadShards).toBe(2);
    store = await reopen(store, { initialShards: 2, maxRecordsPerShard: 8 });
    expect(store.stats().threadShards).toBeGreaterThanOrEqual(8);
    expect((await store.listThreads()).length).toBe(50);
    expect((await readdir(currentDir())).filter((name) => name.startsWith("threads-"))).toEqual([
      `threads-${store.stats().threadShards}`,
    ]);
  });
});
