/** Notes to the control chat about where commands were typed and which customer they meant. */
export interface ControlNotes {
  /** Once a day: a command was typed in a customer's 1:1 chat (it ran). */
  typedInCustomerChat(prefix: string, command: string, customer: string, recalled: boolean | undefined): string;
  /** A command typed in a group that takes no commands (it did not run). */
  refusedInGroup(prefix: string, command: string, topic: string, why: string, recalled: boolean | undefined): string;
  groupNotListed: string;
  groupHasOutsiders(people: string): string;
  groupUnchecked: string;
  /** Once per sender: someone who is not staff typed a command. */
  deniedSender(prefix: string, command: string, name: string, id: string): string;
  picked(prefix: string, customer: string, minutes: number, how: "card" | "message"): string;
  cardNotACustomer(name: string): string;
  cardUnreadable(prefix: string): string;
  messageAmbiguous(count: number, customers: string): string;
}

const zh: ControlNotes = {
  typedInCustomerChat: (prefix, command, customer, recalled) =>
    `⚠️ 你在客户「${customer}」的聊天里输入了 ${prefix} ${command}，客户能看到这条消息。${recallZh(recalled)}` +
    `以后请在文件传输助手（这里）输入命令并写上客户，例如 ${prefix} status ${customer}；` +
    `或者先把客户的名片或一条消息转发到这里，再输入 ${prefix} status。（此提醒每天一次）`,
  refusedInGroup: (prefix, command, topic, why, recalled) =>
    `⛔ 未执行 ${prefix} ${command}：群「${topic}」${why}，群里的人都能看到这条命令。${recallZh(recalled)}` +
    `请在文件传输助手（这里）输入命令并写上客户。`,
  groupNotListed: "不是员工群（commands.rooms）",
  groupHasOutsiders: (people) => `有非员工成员：${people}（若是同事，把 id 加入 commands.staff）`,
  groupUnchecked: "的成员无法核对",
  deniedSender: (prefix, command, name, id) =>
    `🔒 ${name}（${id}）发了 ${prefix} ${command}，不是员工，未执行。若是同事，把 ${id} 加入 commands.staff。（每人只提醒一次）`,
  picked: (prefix, customer, minutes, how) =>
    `👉 已选中 ${customer}（${how === "card" ? "名片" : "按转发的消息"}）：${minutes} 分钟内下一条不写客户的命令针对该客户，例如 ${prefix} status`,
  cardNotACustomer: (name) => `名片「${name}」还没有聊天记录，不是客户会话；未选中任何客户。`,
  cardUnreadable: (prefix) => `读不出这张名片（当前微信接入不支持）；请写上客户，例如 ${prefix} status 张三`,
  messageAmbiguous: (count, customers) =>
    `这条消息出现在 ${count} 位客户的聊天里（${customers}），未选中任何客户；请转发名片或写上客户。`,
};

const en: ControlNotes = {
  typedInCustomerChat: (prefix, command, customer, recalled) =>
    `⚠️ You typed ${prefix} ${command} in ${customer}'s chat: the customer can read it. ${recallEn(recalled)}` +
    `Type commands here in File Transfer and name the customer, e.g. ${prefix} status ${customer}; ` +
    `or forward the customer's contact card or one of their messages here first, then type ${prefix} status. (Once a day)`,
  refusedInGroup: (prefix, command, topic, why, recalled) =>
    `⛔ ${prefix} ${command} not run: the group "${topic}" ${why}, and everyone in it can read the command. ${recallEn(recalled)}` +
    "Type commands here in File Transfer and name the customer.",
  groupNotListed: "is not a staff group (commands.rooms)",
  groupHasOutsiders: (people) => `has members who are not staff: ${people} (colleagues: add their id to commands.staff)`,
  groupUnchecked: "has members that could not be checked",
  deniedSender: (prefix, command, name, id) =>
    `🔒 ${name} (${id}) typed ${prefix} ${command}: not staff, not run. A colleague? Add ${id} to commands.staff. (Once per person)`,
  picked: (prefix, customer, minutes, how) =>
    `👉 Picked ${customer} (${how === "card" ? "contact card" : "by the forwarded message"}): the next command without a customer, ` +
    `within ${minutes} minutes, is about them, e.g. ${prefix} status`,
  cardNotACustomer: (name) => `The card "${name}" has no conversation yet, so it is not a customer; nobody picked.`,
  cardUnreadable: (prefix) =>
    `This contact card cannot be read (the WeChat connection does not support it); name the customer, e.g. ${prefix} status Zhang`,
  messageAmbiguous: (count, customers) =>
    `This message is in ${count} customers' chats (${customers}); nobody picked. Forward a contact card or name the customer.`,
};

function recallZh(recalled: boolean | undefined): string {
  if (recalled === true) return "已自动撤回。";
  if (recalled === false) return "未能自动撤回，请在 2 分钟内长按撤回。";
  return "";
}

function recallEn(recalled: boolean | undefined): string {
  if (recalled === true) return "It was recalled. ";
  if (recalled === false) return "It could not be recalled: recall it by hand within 2 minutes. ";
  return "";
}

export function controlNotes(locale: "zh" | "en"): ControlNotes {
  return locale === "en" ? en : zh;
}
