/**
 * Who may run commands: the bot's own account and the configured staff ids.
 * By sender id only, never by nickname: anyone can call themselves "王经理".
 */
export function isAuthorisedSender(senderId: string, staff: ReadonlySet<string>, selfId: string | undefined): boolean {
  if (senderId === "") return false;
  return senderId === selfId || staff.has(senderId);
}
