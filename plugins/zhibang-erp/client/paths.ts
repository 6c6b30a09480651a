/**
 * ERP page paths (docs/zhibang-protocol.md §4, §5, §6). The zsml pages are the `/sysa/mobilephone/…asp`
 * forms every working integration used; IIS matches them case-insensitively (docs/zhibang-protocol.md §1).
 */
export const ERP_PATHS = {
  /** The v32.17 login URL (docs/zhibang-protocol.md §4.1); older servers only have the mobile one. */
  loginV3: "/webapi/v3/ov1/login",
  loginMobile: "/sysa/mobilephone/login.asp",
  logout: "/sysa/mobilephone/logout.asp",
  /** Allocate an id (no cmdkey), save (`__sys_dosave`), detail (`?edit=1`): docs/zhibang-protocol.md §5.1-5.3. */
  customerForm: "/sysa/mobilephone/salesmanage/custom/add.asp",
  customerList: "/sysa/mobilephone/salesmanage/custom/list.asp",
  /** 客户指派, `?datatype=tel` (docs/zhibang-protocol.md §5.5). */
  assign: "/sysa/mobilephone/systemmanage/order.asp",
  /** 洽谈进展, `?datatype=tel` (docs/zhibang-protocol.md §5.6). */
  reply: "/sysa/mobilephone/systemmanage/reply.asp",
  /**
   * The customer's 洽谈进展 records, `?datatype=tel`: the page exists on 智邦 servers but its
   * parameters are undocumented; the client reads it as a list page filtered by `ord` and
   * falls back to the customer list's latest follow-up where a server lacks it.
   */
  replyList: "/sysa/mobilephone/systemmanage/replylist.asp",
  contactForm: "/sysa/mobilephone/salesmanage/person/add.asp",
  contactList: "/sysa/mobilephone/salesmanage/person/list.asp",
  customerEditV3: "/webapi/v3/sales/customer/edit",
  /** The users (gate) as a department tree (docs/zhibang-protocol.md §5.9): names for the ids wxerp assigns to. */
  userList: "/sysa/mobilephone/systemmanage/gate_list.asp",
} as const;

/** cmdkey values (docs/zhibang-protocol.md §2.2). */
export const CMD_REFRESH = "refresh";
export const CMD_SAVE = "__sys_dosave";
