import { describe, expect, it } from "vitest";
import { RecentLinks } from "../../plugins/zhibang-erp/sync/link-guard.ts";

describe("links decided moments ago, before their thread records them", () => {
  it("hold a mobile for the contact that claimed it, with the record it was linked to, for a minute", () => {
    let now = 0;
    const links = new RecentLinks(() => now);
    links.claim(["mobile:13800138000", "ord:1001"], "wxid_a", { ord: "1001", khid: "WX000001" });
    const held = { contactId: "wxid_a", link: { ord: "1001", khid: "WX000001" } };
    expect(links.heldByOther("mobile:13800138000", "wxid_b")).toEqual(held);
    expect(links.heldByOther("ord:1001", "wxid_b")).toEqual(held);
    expect(links.heldByOther("mobile:13800138000", "wxid_a")).toBeUndefined();
    expect(links.heldByOther("mobile:13900000000", "wxid_b")).toBeUndefined();
    now = 60_001;
    expect(links.heldByOther("mobile:13800138000", "wxid_b")).toBeUndefined();
  });
});
