/**
 * PuppetMock with what a real account has and the mock leaves out: contact tags (labels),
 * friend requests with a greeting, 名片 messages that name a contact, photos whose file the
 * gateway hands out, and a record of any friend request accepted. Wrapped by the PuppetServer, these reach wxerp over the real
 * gRPC path exactly as a gateway's puppet would send them.
 */
import { FileBox, type FileBoxInterface } from "file-box";
import { types } from "wechaty";
import { type mock, PuppetMock } from "wechaty-puppet-mock";

export interface FriendRequestSpec {
  id: string;
  contactId: string;
  hello?: string;
  scene?: number;
  /** Seconds, as PadLocal gives them (puppet-service does not carry it). */
  timestamp?: number;
}

export class RichPuppetMock extends PuppetMock {
  readonly tags = new Map<string, string[]>();
  readonly friendships = new Map<string, Record<string, unknown>>();
  readonly cards = new Map<string, string>();
  /** Photo message id → the image file the gateway hands out for it. */
  readonly images = new Map<string, string>();
  /** Photo files asked of the gateway: a photo nobody may send anywhere is never even fetched. */
  imageFetches = 0;
  /** Friend requests someone accepted through the puppet: must stay empty, the bot never accepts. */
  readonly accepted: string[] = [];
  /** Group lookups asked of the gateway (member lists and member payloads: topics, mentions). */
  roomLookups = 0;

  constructor(options: { mocker: mock.Mocker }) {
    super(options);
  }

  override async tagContactList(contactId?: string): Promise<string[]> {
    if (contactId === undefined) return [...new Set([...this.tags.values()].flat())];
    return this.tags.get(contactId) ?? [];
  }

  override async friendshipRawPayload(id: string): Promise<never> {
    const payload = this.friendships.get(id);
    if (!payload) throw new Error(`no friendship ${id}`);
    return payload as never;
  }

  override async friendshipAccept(id: string): Promise<void> {
    this.accepted.push(id);
  }

  override async roomMemberList(roomId: string): Promise<string[]> {
    this.roomLookups++;
    return super.roomMemberList(roomId);
  }

  override async roomMemberRawPayload(roomId: string, contactId: string): Promise<never> {
    this.roomLookups++;
    return (await super.roomMemberRawPayload(roomId, contactId)) as never;
  }

  override async messageContact(messageId: string): Promise<string> {
    return this.cards.get(messageId) ?? "";
  }

  override async messageFile(messageId: string): Promise<FileBoxInterface> {
    const path = this.images.get(messageId);
    if (path === undefined) return super.messageFile(messageId);
    this.imageFetches++;
    return FileBox.fromFile(path);
  }

  /** `from` sends `to` (or the group `roomId`) a photo: the image file at `path`. */
  sendImage(id: string, from: string, to: { listenerId?: string; roomId?: string }, path: string): string {
    this.images.set(id, path);
    return this.deliver({ id, type: types.Message.Image, talkerId: from, ...to, text: "" });
  }

  /** A stranger's friend request arrives (type Receive), with its greeting. */
  friendRequest(spec: FriendRequestSpec): string {
    this.friendships.set(spec.id, {
      type: types.Friendship.Receive,
      ticket: `ticket-${spec.id}`,
      stranger: `v3_${spec.contactId}`,
      ...spec,
    });
    this.emit("friendship", { friendshipId: spec.id });
    return spec.id;
  }

  /** The request was accepted on the phone (type Confirm: "你已添加了…"). */
  friendConfirmed(id: string, contactId: string): string {
    this.friendships.set(id, { id, contactId, type: types.Friendship.Confirm, timestamp: Math.floor(Date.now() / 1000) });
    this.emit("friendship", { friendshipId: id });
    return id;
  }

  /** `from` sends `to` a 名片 of `cardOf`. */
  sendCard(id: string, from: string, to: string, cardOf: string): string {
    this.cards.set(id, cardOf);
    this.mocker.MessageMock.create({
      id,
      type: types.Message.Contact,
      talkerId: from,
      listenerId: to,
      timestamp: Date.now(),
      text: "",
    } as never);
    this.emit("message", { messageId: id });
    return id;
  }

  /** A raw message payload (type, text, who to whom) delivered as the gateway would. */
  deliver(payload: {
    id: string;
    type?: number;
    talkerId: string;
    listenerId?: string;
    roomId?: string;
    text?: string;
    mentionIdList?: string[];
  }): string {
    this.mocker.MessageMock.create({ type: types.Message.Text, timestamp: Date.now(), ...payload } as never);
    this.emit("message", { messageId: payload.id });
    return payload.id;
  }
}
