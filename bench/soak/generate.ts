import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import {
  type Category,
  type CustomerProfile,
  firstConversation,
  laterConversation,
  productFor,
  type Said,
} from "./conversations.ts";
import { SeededRandom } from "./random.ts";
import {
  CITIES,
  COMPANY_CORES,
  GIVEN_NAMES,
  INDUSTRIES,
  MOBILE_PREFIXES,
  NICKNAMES,
  SEED_COMPANIES,
  SEED_MOBILES,
  SURNAMES,
} from "./vocabulary.ts";

/** How often each kind of customer occurs (most are admissible leads). */
const CATEGORY_WEIGHTS: ReadonlyArray<readonly [Category, number]> = [
  ["hot-company", 40],
  ["warm-company", 14],
  ["hot-personal", 9],
  ["warm-personal", 7],
  ["wechat-phone", 5],
  ["cold", 9],
  ["sales-typed", 5],
  ["no-mobile", 4],
  ["injection", 4],
  ["late-mobile", 3],
];

/** Share of customers (of the kinds that can be admitted) who come back days later. */
const RETURNING_SHARE = 0.12;
/** A later conversation appears this many lines after the first one (other customers in between). */
const RETURN_DISTANCE = 40;
const FIRST_AT = Date.parse("2026-11-02T09:00:00+08:00");
const DAY_MS = 86_400_000;

export interface SoakInput {
  customers: CustomerProfile[];
  /** In file order. `customer` indexes `customers`; `visit` is 0 for the first conversation. */
  lines: Array<{ customer: number; visit: number; conversation: ReplayConversation }>;
}

/** Deterministic: the same count and seed give the same file. */
export function generateSoakInput(count: number, seed: number): SoakInput {
  const random = new SeededRandom(seed);
  const unique = new UniqueValues(random);
  const customers: CustomerProfile[] = [];
  const visits: Array<{ order: number; customer: number; visit: number; said: Said[] }> = [];
  for (let index = 0; index < count; index++) {
    const profile = makeProfile(index, random, unique);
    customers.push(profile);
    visits.push({ order: index, customer: index, visit: 0, said: firstConversation(profile, random) });
    const returns = profile.category === "late-mobile" || (canBeAdmitted(profile.category) && random.chance(RETURNING_SHARE));
    if (returns) {
      visits.push({ order: index + RETURN_DISTANCE + 0.5, customer: index, visit: 1, said: laterConversation(profile, random) });
    }
  }
  visits.sort((a, b) => a.order - b.order);
  const lines = visits.map((v) => ({
    customer: v.customer,
    visit: v.visit,
    conversation: toReplayLine(customers[v.customer]!, v.visit, v.said, random),
  }));
  return { customers, lines };
}

function canBeAdmitted(category: Category): boolean {
  return ["hot-company", "warm-company", "hot-personal", "warm-personal", "wechat-phone"].includes(category);
}

function makeProfile(index: number, random: SeededRandom, unique: UniqueValues): CustomerProfile {
  const category = random.weighted(CATEGORY_WEIGHTS);
  const person = random.pick(SURNAMES) + random.pick(GIVEN_NAMES);
  const personal = category.endsWith("personal");
  const company = personal ? undefined : unique.company();
  const mobile = unique.mobile();
  const profile: CustomerProfile = {
    index,
    id: `wxid_soak${String(index).padStart(5, "0")}`,
    person,
    product: productFor(category, random),
    mobile,
    category,
    contactName: random.chance(0.15) ? random.pick(NICKNAMES) : person,
  };
  if (company) profile.company = company;
  if (company && random.chance(0.2)) profile.alias = `${person}-${company.slice(2, 4)}`;
  if (category === "wechat-phone") profile.wechatPhone = random.chance(0.5) ? `+86 ${mobile}` : mobile;
  return profile;
}

function toReplayLine(p: CustomerProfile, visit: number, said: Said[], random: SeededRandom): ReplayConversation {
  // Minutes apart per customer; a returning customer writes again three days later.
  let at = FIRST_AT + p.index * 10 * 60_000 + visit * 3 * DAY_MS;
  const messages = said.map((m) => {
    at += random.int(20, 90) * 1000;
    return { from: m.from, text: m.text, at: isoAt(at) };
  });
  const contact: ReplayConversation["contact"] = { id: p.id, name: p.contactName };
  if (p.alias) contact.alias = p.alias;
  if (p.wechatPhone) contact.phone = p.wechatPhone;
  return { contact, messages };
}

/** ISO time in China time, as the recordings carry it. */
function isoAt(epochMs: number): string {
  const local = new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** Company names and mobiles never repeat, and never collide with the emulator's demo seed. */
class UniqueValues {
  private readonly companies = new Set<string>(SEED_COMPANIES);
  private readonly mobiles = new Set<string>(SEED_MOBILES);

  constructor(private readonly random: SeededRandom) {}

  company(): string {
    return this.draw(
      this.companies,
      () => this.random.pick(CITIES) + this.random.pick(COMPANY_CORES) + this.random.pick(INDUSTRIES),
    );
  }

  mobile(): string {
    return this.draw(
      this.mobiles,
      () => this.random.pick(MOBILE_PREFIXES) + String(this.random.int(0, 99_999_999)).padStart(8, "0"),
    );
  }

  private draw(taken: Set<string>, make: () => string): string {
    for (let tries = 0; tries < 1000; tries++) {
      const value = make();
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
    throw new Error("ran out of unique values: enlarge the vocabulary");
  }
}
