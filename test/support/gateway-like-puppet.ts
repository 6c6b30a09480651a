import { PuppetMock } from "wechaty-puppet-mock";

/**
 * The mock puppet plus two things a real gateway (PadLocal behind puppet-service) does and
 * PuppetMock leaves out: it reads the contact of a 名片 message, and it recalls a message
 * the account sent. PuppetMock answers "" and false to these; everything else is the mock's.
 *
 *   const puppet = new GatewayLikePuppet();
 *   puppet.cards.set(messageId, "wxid_zhang3");   // that message is zhang3's card
 *   ... puppet.recalled                           // ids the bot took back
 */
export class GatewayLikePuppet extends PuppetMock {
  /** Card message id → the contact id on the card. */
  readonly cards = new Map<string, string>();
  readonly recalled: string[] = [];

  override async messageContact(messageId: string): Promise<string> {
    return this.cards.get(messageId) ?? "";
  }

  override async messageRecall(messageId: string): Promise<boolean> {
    this.recalled.push(messageId);
    return true;
  }
}
