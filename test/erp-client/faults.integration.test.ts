import { describe, expect, it } from "vitest";
import { ErpServerError, ErpTimeoutError } from "../../plugins/zhibang-erp/client/index.ts";
import type { FailureKind } from "../../plugins/zhibang-erp/emulator/index.ts";
import { companyInput, withEmulator } from "./emulator-fixture.ts";

/**
 * Injected failures: the first attempt fails (failureRate 1), the client's onCall hook then
 * heals the emulator, and the retry must succeed without duplicating anything.
 */

async function healingFixture(kind: FailureKind, phase: "before" | "after" = "before") {
  const fixture = await withEmulator({ seedDemo: true, hangMs: 10_000 });
  const erp = fixture.client({
    timeoutMs: 400,
    onCall: (event) => {
      if (event.outcome === "error") fixture.emulator.setFaults({ failureRate: 0 });
    },
  });
  await erp.login();
  fixture.emulator.setFaults({ failureRate: 1, failureKinds: [kind], failurePhase: phase });
  return { ...fixture, erp };
}

describe("retried to success", () => {
  it.each<FailureKind>(["http500", "html", "reset", "hang", "truncated"])("a list after %s", async (kind) => {
    const { erp, emulator } = await healingFixture(kind);
    const listed = await erp.listCustomers();
    expect(listed.items.map((c) => c.name)).toContain("上海明达机械有限公司");
    expect(emulator.snapshot().failuresInjected).toBe(1);
    expect(erp.stats().byOperation.list).toMatchObject({ calls: 2, errors: 1, retries: 1 });
  });

  it.each<FailureKind>(["http500", "reset", "truncated"])(
    "a save whose reply was lost after it was applied (%s) is repeated safely",
    async (kind) => {
      const { erp, emulator } = await healingFixture(kind, "after");
      emulator.setFaults({ failureRate: 0 });
      const { ord } = await erp.allocateCustomerId(1);
      emulator.setFaults({ failureRate: 1 });
      await erp.saveCustomer({ ...companyInput("WX000101"), ord });
      expect(erp.stats().byOperation.save).toMatchObject({ calls: 2, errors: 1 });
      expect(
        emulator
          .snapshot()
          .customers.filter((c) => c.khid === "WX000101")
          .map((c) => c.ord),
      ).toEqual([ord]);
    },
  );

  it("an assignment answered by an HTML error page after it was applied is not sent again (one assignment event)", async () => {
    const { erp, emulator } = await healingFixture("html", "after");
    const error = await erp.assignCustomer("101", { mode: "users", users: ["456"] }).catch((e: unknown) => e);
    expect((error as ErpServerError).maybeApplied).toBe(true);
    expect(emulator.snapshot().customers.find((c) => c.ord === "101")?.owners).toEqual(["456"]);
    expect(emulator.snapshot().assignments.filter((a) => a.ord === "101")).toHaveLength(1);
  });
});

describe("follow-ups are never duplicated", () => {
  it("a follow-up whose reply is lost after it was stored throws maybeApplied, and the ERP holds exactly one", async () => {
    const { client, emulator } = await withEmulator();
    const erp = client();
    await erp.login();
    emulator.setFaults({ failureRate: 1, failureKinds: ["http500"], failurePhase: "after" });
    const error = await erp.addFollowup("101", { intro: "回复丢失的跟进" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpServerError);
    expect((error as ErpServerError).maybeApplied).toBe(true);
    expect(emulator.snapshot().followups.filter((f) => f.intro === "回复丢失的跟进")).toHaveLength(1);
    expect(emulator.snapshot().calls.followup).toBe(1);
  });

  it("a hanging follow-up times out with maybeApplied and is not re-sent", async () => {
    const { client, emulator } = await withEmulator({ hangMs: 10_000 });
    const erp = client({ timeoutMs: 300 });
    await erp.login();
    emulator.setFaults({ failureRate: 1, failureKinds: ["hang"], failurePhase: "after" });
    const error = await erp.addFollowup("101", { intro: "超时的跟进" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpTimeoutError);
    expect((error as ErpTimeoutError).maybeApplied).toBe(true);
    expect(emulator.snapshot().calls.followup).toBe(1);
  });
});

describe("reply quirks (docs/zhibang-protocol.md §2.1, §3.1, §3.6)", () => {
  it("control characters, string statuses and {value, ord} rows all read the same data", async () => {
    const { erp } = await withEmulator({ controlChars: true, statusAsString: true, rowsAsObjects: true });
    const [mingda] = await erp.findByName("上海明达机械有限公司");
    expect(mingda).toMatchObject({ mobile: "13911112222", personName: "陈明" });
    const detail = await erp.getCustomer(mingda!.ord);
    expect(detail).toMatchObject({ khid: "KH0001", mobile: "13911112222" });
    expect(await erp.findByMobile("13911112222")).toHaveLength(1);
  });

  it("a detail of an ord that does not exist is undefined", async () => {
    const { erp } = await withEmulator();
    expect(await erp.getCustomer("999999")).toBeUndefined();
  });
});
