/**
 * A notice is a line for the control chat that nobody asked for just now: a job that gave
 * up, a conflict, an alert. Notices wait in the send queue and go out paced; several that
 * wait together leave as one message (a digest), so a burst of failures is one message.
 */
export interface Notice {
  /** The line sent when this notice goes out alone. */
  text: string;
  /** Notices of one topic that wait together become one line (e.g. "12 个客户同步失败…"). */
  topic?: NoticeTopic;
  /** What the topic's summary needs to know about this notice (a customer's name, a reason). */
  facts?: Readonly<Record<string, string>>;
  /** Asked just before sending: false drops the notice (an alert that has cleared meanwhile). */
  stillRelevant?: () => boolean;
  /**
   * The conversation the notice is about (a thread id): with several WeChat accounts it goes
   * to that conversation's account's control chat. Without one: the first account's.
   */
  threadId?: string;
}

export interface NoticeTopic {
  readonly id: string;
  /** One line for two or more notices of this topic, in the order they arrived. */
  summarise(notices: readonly Notice[]): string;
}

/** What the plugin host lets a plugin say about a notice besides its text. */
export type NoticeOptions = Pick<Notice, "topic" | "facts" | "threadId">;

/**
 * How a notice ended: sent (alone or in a digest), withdrawn (no longer relevant when its
 * turn came) or dropped (the queue stopped first; it is logged).
 */
export type NoticeOutcome = "sent" | "withdrawn" | "dropped";
