/**
 * Two customers of different companies quote (引用) the salesperson's "this is my mobile"
 * message: each stays its own ERP customer, and neither gets the salesperson's number.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppFixture, SALES, startAppFixture } from "../support/app-fixture.ts";
import { conversation } from "./conversations.ts";

const SALES_MOBILE = "13987654321";
const quote = `「${SALES.name}：这是我的手机 ${SALES_MOBILE}，有问题随时打给我」\n- - - - - - - - - - - - - - -\n好的，收到，下周二来我们公司面谈，尽快签合同`;

let fx: AppFixture;
beforeAll(async () => {
  fx = await startAppFixture();
}, 60_000);
afterAll(() => fx?.stop());

it("two companies whose customers quote the salesperson's number stay two ERP customers, without that number", async () => {
  const a = conversation({ id: "wxid_a", name: "周明", alias: "周明-华峰机械" }, [
    ["customer", "你好，我是常州华峰机械有限公司的周明，想要一份正式报价单，我们要20台，预算50万，手机 13611112222", 0],
    ["sales", `周总好，这是我的手机 ${SALES_MOBILE}，有问题随时打给我`, 1],
    ["customer", quote, 2],
  ]);
  const b = conversation(
    { id: "wxid_b", name: "孙丽", alias: "孙丽-东方电气" },
    [
      ["customer", "你好，我是无锡东方电气有限公司的孙丽，想要一份正式报价单，我们要30台，预算80万，手机 13622223333", 0],
      ["sales", `孙总好，这是我的手机 ${SALES_MOBILE}，有问题随时打给我`, 1],
      ["customer", quote, 2],
    ],
    "2026-11-02T15:00:00+08:00",
  );
  const report = await fx.replay([a, b]);
  expect(report.threads.map((t) => t.erp?.status)).toEqual(["created", "created"]);
  const customers = fx.snapshot().customers;
  expect(customers.filter((c) => c.mobile === SALES_MOBILE)).toEqual([]);
  const ours = customers.filter((c) => c.name === "常州华峰机械有限公司" || c.name === "无锡东方电气有限公司");
  expect(ours.map((c) => [c.name, c.mobile]).sort()).toEqual([
    ["常州华峰机械有限公司", "13611112222"],
    ["无锡东方电气有限公司", "13622223333"],
  ]);
  expect((await fx.thread("wxid_a"))?.extracted.mobile).toMatchObject({ value: "13611112222", source: "customer" });
});
