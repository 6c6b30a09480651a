import { afterEach, describe, expect, it } from "vitest";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai-server.ts";
import { placeholderModel } from "../support/placeholder-model.ts";
import { conversation } from "./conversations.ts";

/**
 * `scorer.maskPersonalData` (on by default) through the whole app: the model only ever sees
 * placeholders, and the thread and the ERP customer get the real name, email and address.
 */
describe("personal data masked for the LLM, restored for the ERP", () => {
  let fx: AppFixture | undefined;
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fx?.stop();
    await fake?.close();
    fx = fake = undefined;
  });

  it("the ERP customer and the thread carry the originals; the model received none", async () => {
    fake = await startFakeOpenAI({ respond: placeholderModel });
    fx = await startAppFixture({
      env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
      config: { scorer: { provider: "openai" } },
    });
    const lead = conversation({ id: "wxid_chenjing", name: "陈静" }, [
      ["customer", "你好，我是杭州启明电子有限公司的陈静，负责采购", 0],
      ["sales", "陈总您好，我是智造云的小王", 1],
      ["customer", "我们要上一套MES，预算80万，下周见面谈合同吧，麻烦先发报价单", 2],
      ["customer", "我手机13566667777，邮箱 chenjing@qiming-dz.com", 3],
      ["customer", "地址：杭州市西湖区文三路90号东部软件园5楼", 4],
    ]);
    const report = await fx.replay([lead]);
    expect(report.threads[0]!.erp).toMatchObject({ status: "created" });

    const sent = JSON.stringify(fake.requests);
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const value of ["陈静", "陈总", "小王", "13566667777", "chenjing@qiming-dz.com", "文三路90号"]) {
      expect(sent, value).not.toContain(value);
    }
    const customer = fx.snapshot().customers.find((c) => c.mobile === "13566667777")!;
    expect(customer).toMatchObject({
      name: "杭州启明电子有限公司",
      person_name: "陈静",
      email: "chenjing@qiming-dz.com",
      address: "杭州市西湖区文三路90号东部软件园5楼",
    });
    const thread = await fx.thread("wxid_chenjing");
    expect(thread!.summary).toContain("客户陈静约谈合同；邮箱 chenjing@qiming-dz.com，地址 杭州市西湖区文三路90号东部软件园5楼");
    expect(JSON.stringify([customer, thread])).not.toContain("⟨");
  });
});
