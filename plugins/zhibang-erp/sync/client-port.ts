import { type ErpClient, followupListUnavailable } from "../client/index.ts";
import type { CustomerDetail } from "../client/types.ts";
import type { AssignTarget, ErpContactPerson, ErpCustomer, ErpPort, SaveCustomer } from "./erp-port.ts";

/** How many of a customer's latest follow-ups are searched for a reference. */
const RECENT_FOLLOWUPS = 20;

/** The sync's ERP port on the real HTTP client (docs/zhibang-protocol.md §5, §6). */
export function clientPort(client: ErpClient): ErpPort {
  /** Set once the ERP shows it has no follow-up list page; from then on the list column serves. */
  let followupListMissing = false;
  const latestFollowup = async (ord: string, khid: string | undefined): Promise<string | undefined> => {
    // telintro is a list column; filter by khid (fuzzy) and pick our ord exactly.
    const rows = await client.listCustomers(khid ? { khid } : {}, { limit: khid ? 200 : 2000 });
    return rows.items.find((row) => row.ord === ord)?.latestFollowup;
  };
  const details = async (ords: string[]): Promise<ErpCustomer[]> => {
    const found = await Promise.all(ords.map((ord) => client.getCustomer(ord)));
    return found.filter((d): d is CustomerDetail => d !== undefined).map(fromDetail);
  };
  return {
    async allocateCustomerId(intsort) {
      return (await client.allocateCustomerId(intsort)).ord;
    },
    async saveCustomer(input: SaveCustomer) {
      await client.saveCustomer({
        ord: input.ord,
        intsort: input.intsort,
        khid: input.khid,
        name: input.name,
        personName: input.personName,
        mobile: input.mobile,
        sort1: input.sort1,
        ly: input.ly,
        jz: input.jz,
        intro: input.intro,
        ...(input.weixin ? { weixinAcc: input.weixin } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.address ? { address: input.address } : {}),
      });
    },
    async getCustomer(ord) {
      const detail = await client.getCustomer(ord);
      return detail ? fromDetail(detail) : undefined;
    },
    async findByKhid(khid) {
      return (await client.findByKhid(khid)).map(fromDetail);
    },
    async findByMobile(mobile) {
      // The list has no khid and no owner ids: read each match's detail.
      return details((await client.findByMobile(mobile)).map((s) => s.ord));
    },
    async findByName(name) {
      return details((await client.findByName(name)).map((s) => s.ord));
    },
    async assign(ord: string, target: AssignTarget) {
      await client.assignCustomer(ord, target);
    },
    async addFollowup(ord, intro, sort) {
      await client.addFollowup(ord, { intro, sort, plantype: 0 });
    },
    async recentFollowups(ord, khid) {
      if (!followupListMissing) {
        try {
          return await client.listFollowups(ord, RECENT_FOLLOWUPS);
        } catch (error) {
          if (!followupListUnavailable(error)) throw error;
          followupListMissing = true;
        }
      }
      const latest = await latestFollowup(ord, khid);
      return latest ? [latest] : [];
    },
    async addContactPerson(companyOrd, person) {
      await client.addContact(companyOrd, {
        personName: person.name,
        mobile: person.mobile,
        ...(person.weixin ? { weixinAcc: person.weixin } : {}),
        ...(person.email ? { email: person.email } : {}),
      });
    },
    async listContactPeople(companyOrd): Promise<ErpContactPerson[]> {
      const people = await client.listContacts(companyOrd);
      return people.map((p) => ({
        ord: String(p.record.ord ?? ""),
        name: p.personName,
        ...(p.mobile ? { mobile: p.mobile } : {}),
      }));
    },
    async editCustomer(ord, fields) {
      const body: Record<string, string | number> = {};
      if (fields.jz !== undefined) body.jz = fields.jz;
      if (fields.intro !== undefined) body.intro = fields.intro;
      if (fields.khid !== undefined) body.khid = fields.khid;
      await client.editCustomerV3(ord, body);
    },
    async listByKhid(fragment) {
      const rows = await client.listCustomers({ khid: fragment });
      return rows.items.map((row) => (row.record.khid ? { ord: row.ord, khid: row.record.khid } : { ord: row.ord }));
    },
  };
}

function fromDetail(detail: CustomerDetail): ErpCustomer {
  const owners = (detail.fields.cateid ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => /^\d+$/.test(id));
  const customer: ErpCustomer = {
    ord: detail.ord,
    owners,
    // member1 = 1: "对所有用户公开" (docs/zhibang-protocol.md §5.5); no owner at all also reads as public.
    public: detail.fields.member1 === "1" || owners.length === 0,
  };
  if (detail.khid) customer.khid = detail.khid;
  if (detail.name) customer.name = detail.name;
  if (detail.personName) customer.personName = detail.personName;
  if (detail.mobile) customer.mobile = detail.mobile;
  const weixin = detail.fields.weixinAcc;
  if (weixin) customer.weixin = weixin;
  return customer;
}
