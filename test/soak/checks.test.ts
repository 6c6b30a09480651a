import { describe, expect, it } from "vitest";
import { runChecks } from "../../bench/soak/checks.ts";
import { expectOutcomes } from "../../bench/soak/expect.ts";
import { generateSoakInput } from "../../bench/soak/generate.ts";
import type { CustomerSnapshot, EmulatorSnapshot, FollowupRecord } from "../../plugins/zhibang-erp/emulator/index.ts";
import { followupReference } from "../../plugins/zhibang-erp/sync/followup-reference.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { Thread } from "../../src/store/types.ts";

/**
 * The soak's checks must fail when the ERP is wrong: an ERP state built to match the
 * expectation passes, and each kind of damage is caught by the check that names it.
 */
const config = loadConfig({ withoutDefaultFile: true, env: {} });
const input = generateSoakInput(40, 3);
const expectations = await expectOutcomes(input, config);
const admissible = expectations.filter((e) => e.admissible);

function correctErp(): { snapshot: EmulatorSnapshot; threads: Thread[] } {
  const customers: CustomerSnapshot[] = [];
  const followups: FollowupRecord[] = [];
  admissible.forEach((e, i) => {
    const p = e.customer;
    const ord = String(2000 + i);
    const khid = `WX${String(i + 1).padStart(6, "0")}`;
    customers.push({
      ...({} as CustomerSnapshot),
      ord,
      khid,
      name: p.company ?? p.person,
      intsort: p.company ? 1 : 2,
      person_name: p.company ? p.person : "",
      mobile: p.mobile,
      ly: "171",
      jz: String(e.jz),
      owners: e.ownerTier!.users.slice(0, 1),
      public: false,
    });
    for (let n = 1; n <= e.followups; n++)
      followups.push({
        ord,
        intro: `摘要 ${followupReference({ khid, ord, contactId: e.customer.id, sequence: n })}`,
        sort: "484",
        plantype: "0",
        at: "",
      });
  });
  const snapshot = { customers, followups } as EmulatorSnapshot;
  const threads = expectations.map((e) => ({ id: e.customer.id, scores: e.scores.map((score) => ({ score })) }) as Thread);
  return { snapshot, threads };
}

function failing(snapshot: EmulatorSnapshot, threads: Thread[]): string[] {
  return runChecks({ expectations, snapshot, before: new Set(), threads, khidPrefix: "WX" })
    .filter((c) => !c.ok)
    .map((c) => c.name);
}

const inadmissibleMobile = expectations.find((e) => !e.admissible)!.customer.mobile;
const DAMAGE: Array<[string, (s: EmulatorSnapshot) => void, string]> = [
  [
    "a customer created twice",
    (s) => {
      s.customers.push({ ...s.customers[0]!, ord: "9999", khid: "WX999999" });
    },
    "every admissible customer exists exactly once (by mobile)",
  ],
  ["a follow-up posted twice", (s) => void s.followups.push({ ...s.followups[0]! }), "each follow-up exactly once"],
  ["a follow-up missing", (s) => void s.followups.pop(), "each follow-up exactly once"],
  ["a wrong jz", (s) => void Object.assign(s.customers[0]!, { jz: "290" }), "jz from the latest score"],
  ["an owner outside the tier", (s) => void Object.assign(s.customers[0]!, { owners: ["1"] }), "owner by score tier"],
  ["a khid held twice", (s) => void Object.assign(s.customers[1]!, { khid: s.customers[0]!.khid }), "khids are unique and ours"],
  [
    "a company saved under the person's name",
    (s) => void Object.assign(s.customers.find((c) => c.intsort === 1)!, { name: "某人" }),
    "customer fields: type, name, contact person, source",
  ],
  [
    "an inadmissible customer created",
    (s) => void s.customers.push({ ...s.customers[0]!, ord: "9998", khid: "WX999998", mobile: inadmissibleMobile }),
    "nothing inadmissible created",
  ],
  [
    "an admissible customer missing",
    (s) => void s.customers.shift(),
    "every admissible customer exists exactly once (by mobile)",
  ],
];

describe("the soak's checks", () => {
  it("pass on an ERP that holds exactly what was expected", () => {
    expect(admissible.length).toBeGreaterThan(10);
    const { snapshot, threads } = correctErp();
    expect(failing(snapshot, threads)).toEqual([]);
  });

  it.each(DAMAGE)("catch %s", (_what, damage, check) => {
    const { snapshot, threads } = correctErp();
    damage(snapshot);
    expect(failing(snapshot, threads)).toContain(check);
  });

  it("catch a conversation the bot scored differently (a lost message)", () => {
    const { snapshot, threads } = correctErp();
    threads[0]!.scores = [{ score: 1 } as Thread["scores"][number]];
    expect(failing(snapshot, threads)).toEqual(["the bot scored every conversation as expected"]);
  });
});
