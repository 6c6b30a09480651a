import type { EmulatorState } from "./state.ts";

interface DemoCustomer {
  ord: number;
  khid: string;
  daysAgo: number;
  owners: string[];
  isPublic?: boolean;
  form: Record<string, string>;
  followup?: { intro: string; sort: string };
}

const DAY_MS = 86_400_000;

/**
 * Five demo customers with non-WX khids. Only one has ly 171 (网站注册, the WeChat source),
 * so `wxerp erp list --source 171` starts nearly empty. The demo script relies on
 * 上海明达机械有限公司 / 陈明 / 13911112222.
 */
const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    ord: 101,
    khid: "KH0001",
    daysAgo: 120,
    owners: ["123"],
    form: {
      name: "上海明达机械有限公司",
      pym: "SHMDJX",
      sort1: "17,149",
      ly: "172",
      jz: "289",
      trade: "967",
      person_name: "陈明",
      job: "采购经理",
      mobile: "13911112222",
      phone: "021-58881234",
      email: "chenming@mingda-machinery.cn",
      address: "上海市浦东新区张江路1288号",
      url: "www.mingda-machinery.cn",
      faren: "陈国栋",
      intro: "老客户，主要采购交流接触器和配电柜配件。",
    },
    followup: { intro: "谈的很好，让发合同。", sort: "481" },
  },
  {
    ord: 102,
    khid: "KH0002",
    daysAgo: 90,
    owners: ["456"],
    form: {
      name: "杭州远航科技有限公司",
      pym: "HZYHKJ",
      sort1: "17,148",
      ly: "173",
      jz: "176",
      person_name: "刘洋",
      job: "信息部主管",
      mobile: "13822223333",
      email: "liuyang@yuanhang-tech.com",
      address: "杭州市西湖区文三路90号",
      intro: "关注MES系统，预算待定。",
    },
    followup: { intro: "正在考虑中。", sort: "482" },
  },
  {
    ord: 103,
    khid: "KH0003",
    daysAgo: 60,
    owners: ["123"],
    form: {
      name: "苏州恒信精密制造有限公司",
      pym: "SZHXJMZZ",
      sort1: "18,152",
      ly: "174",
      jz: "175",
      person_name: "王海燕",
      job: "总经理",
      mobile: "13733334444",
      phone: "0512-66778899",
      address: "苏州工业园区星湖街328号",
    },
  },
  {
    ord: 104,
    khid: "KH0004",
    daysAgo: 30,
    owners: ["789"],
    form: {
      name: "北京华泰电气设备有限公司",
      pym: "BJHTDQSB",
      sort1: "17,146",
      ly: "171",
      jz: "177",
      person_name: "张伟",
      job: "技术总监",
      mobile: "13644445555",
      weixinAcc: "zhangwei_huatai",
      address: "北京市海淀区上地信息路12号",
    },
    followup: { intro: "电话无人接听。", sort: "481" },
  },
  {
    ord: 105,
    khid: "KH0005",
    daysAgo: 10,
    owners: [],
    isPublic: true,
    form: {
      name: "深圳鑫源电子有限公司",
      pym: "SZXYDZ",
      sort1: "17,146",
      ly: "977",
      jz: "290",
      person_name: "黄丽",
      job: "采购",
      mobile: "13555556666",
      address: "深圳市南山区科技园南区高新南一道8号",
    },
  },
];

/** Fills a cleared state with the demo customers, their contacts and follow-ups. */
export function seedDemoData(state: EmulatorState, now: number): void {
  for (const demo of DEMO_CUSTOMERS) {
    const createdAt = now - demo.daysAgo * DAY_MS;
    const customer = state.insertCustomer({
      ord: demo.ord,
      khid: demo.khid,
      intsort: 1,
      form: demo.form,
      owners: demo.owners,
      isPublic: demo.isPublic ?? false,
      createdAt,
    });
    if (demo.followup) {
      const at = createdAt + 2 * DAY_MS;
      state.recordFollowup(
        customer,
        { intro: demo.followup.intro, sort: demo.followup.sort, plantype: "0", at: new Date(at).toISOString() },
        at,
      );
    }
  }
  // A second contact at the first customer, so a contact list per company has more than one row.
  state.insertContact(
    101,
    { person_name: "李娜", job: "财务", mobile: "13911113333", email: "lina@mingda-machinery.cn" },
    now - 100 * DAY_MS,
  );
}
