import { describe, expect, it } from "vitest";
import type { ErpUser } from "../../plugins/zhibang-erp/client/index.ts";
import { ErpUserNames } from "../../plugins/zhibang-erp/erp-user-names.ts";

/** The cache behind the dashboard's owner names: read seldom, never a reason for a slow or broken page. */

function reader(answers: Array<ErpUser[] | Error>) {
  let reads = 0;
  const read = async (): Promise<ErpUser[]> => {
    const answer = answers[Math.min(reads, answers.length - 1)]!;
    reads += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { read, reads: () => reads };
}

const WANG = { id: "123", name: "王金牌" };
const LI = { id: "456", name: "李销售" };

describe("ErpUserNames", () => {
  it("reads once, then answers from memory until the names are due again", async () => {
    let now = 1_000;
    const erp = reader([[WANG], [WANG, LI]]);
    const names = new ErpUserNames(erp.read, { maxAgeMs: 60_000, now: () => now });
    expect([...(await names.current())]).toEqual([["123", "王金牌"]]);
    now += 59_000;
    await names.current();
    expect(erp.reads()).toBe(1);
    now += 2_000;
    await names.current(); // due: a read starts in the background
    await expect.poll(async () => [...(await names.current()).keys()], { timeout: 10_000 }).toEqual(["123", "456"]);
    expect(erp.reads()).toBe(2);
  });

  it("keeps the names it has when a read fails, and tries again only after a pause", async () => {
    let now = 0;
    const erp = reader([[WANG], new Error("ERP down"), [LI]]);
    const names = new ErpUserNames(erp.read, { maxAgeMs: 10, retryAfterMs: 5_000, now: () => now });
    await names.current();
    now = 20;
    await names.current();
    await expect.poll(() => erp.reads(), { timeout: 10_000 }).toBe(2);
    expect([...(await names.current()).values()]).toEqual(["王金牌"]);
    expect(erp.reads()).toBe(2);
    now = 5_100;
    await names.current();
    await expect.poll(async () => [...(await names.current()).values()], { timeout: 10_000 }).toEqual(["李销售"]);
  });

  it("does not hold the first page longer than firstWaitMs when the ERP does not answer", async () => {
    const names = new ErpUserNames(() => new Promise<ErpUser[]>(() => {}), { firstWaitMs: 50 });
    expect((await names.current()).size).toBe(0);
  });
});
