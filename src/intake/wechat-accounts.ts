/**
 * WeChat's own accounts: login notices from 微信团队, File Transfer, news, mail and the like.
 * Their chats are never a customer's, whatever scope is configured. Official accounts have
 * ids starting with `gh_` (some puppets do not mark their type).
 */
const WECHAT_ACCOUNTS: ReadonlySet<string> = new Set([
  "weixin", // 微信团队
  "filehelper", // 文件传输助手
  "newsapp", // 腾讯新闻
  "notifymessage", // 服务通知
  "medianote", // 语音记事本
  "qqmail", // QQ邮箱提醒
  "fmessage", // 朋友推荐消息
  "floatbottle", // 漂流瓶
  "qmessage", // QQ离线消息
  "qqsync", // 通讯录同步助手
  "tmessage", // 微博私信
  "qqfriend", // QQ好友
  "masssendapp", // 群发助手
  "blogapp", // 看一看
  "brandsessionholder", // 订阅号消息
  "brandservicesessionholder", // 服务号消息
  "officialaccounts", // 公众号
  "mphelper", // 公众平台安全助手
  "exmail_tool", // 腾讯企业邮
  "helper_entry", // 新的朋友
  "lbsapp", // 附近的人
  "shakeapp", // 摇一摇
  "voip", // 视频聊天
  "voipinfo",
  "voicevoipapp",
  "weibo",
  "feedsapp", // 朋友圈
  "cardpackage", // 卡包
  "pc_share",
  "userexperience_alarm",
  "notification_messages",
  "wxitil", // 微信小管家
  "weixingongzhong",
  "linkedinplugin",
  "readerapp",
  "facebookapp",
  "googlecontact",
  "qqsafe",
  "appbrand_notify_message", // 小程序通知
]);

export function isWechatAccount(contactId: string): boolean {
  return WECHAT_ACCOUNTS.has(contactId.toLowerCase()) || contactId.startsWith("gh_");
}
