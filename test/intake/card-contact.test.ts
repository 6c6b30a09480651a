import { describe, expect, it } from "vitest";
import { cardFromContact } from "../../src/intake/card-contact.ts";
import { storeFixture } from "../store/store-fixture.ts";

/**
 * What a 名片 tells about its own person, on a real (lowdb) store: the card's WeChat ID for a
 * contact who lacks one, and the name for a customer who sent their own card. Over gRPC the
 * mock's card and contact share one payload, so the missing-ID case is shown here.
 */
describe("a 名片's person", () => {
  const { openStore } = storeFixture();

  it("fills a known contact's missing WeChat ID, whoever forwarded the card, and never replaces one", async () => {
    const store = await openStore();
    await store.upsertContact({ id: "wxid_zhou", name: "周总" });
    await store.upsertContact({ id: "wxid_wu", name: "吴工", weixin: "wu_old" });
    await cardFromContact(store, "wxid_sender", "customer", { id: "wxid_zhou", name: "周总", weixin: "zhou_boss" });
    await cardFromContact(store, "wxid_sender", "sales", { id: "wxid_wu", name: "吴工", weixin: "wu_new" });
    expect((await store.getContact("wxid_zhou"))?.weixin).toBe("zhou_boss");
    expect((await store.getContact("wxid_wu"))?.weixin).toBe("wu_old");
    // Someone else's card: nothing about the sender's thread changes.
    expect((await store.getThread("wxid_sender"))?.extracted.name).toBeUndefined();
    await store.close();
  });

  it("names the customer from their own card, unless a name is known or the card's name is no name", async () => {
    const store = await openStore();
    await cardFromContact(store, "wxid_sun", "customer", { id: "wxid_sun", name: "孙丽" });
    expect((await store.getThread("wxid_sun"))?.extracted.name).toBe("孙丽");
    await cardFromContact(store, "wxid_sun", "customer", { id: "wxid_sun", name: "孙丽丽" });
    expect((await store.getThread("wxid_sun"))?.extracted.name).toBe("孙丽");
    await cardFromContact(store, "wxid_emoji", "customer", { id: "wxid_emoji", name: "🌞🌞" });
    expect((await store.getThread("wxid_emoji"))?.extracted.name).toBeUndefined();
    // The salesperson forwarding the customer's card into the chat is not the customer speaking.
    await cardFromContact(store, "wxid_li", "sales", { id: "wxid_li", name: "李娜" });
    expect((await store.getThread("wxid_li"))?.extracted.name).toBeUndefined();
    await store.close();
  });
});
