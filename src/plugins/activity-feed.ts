import type { ActivityEvent } from "./types.ts";

export type ActivityListener = (event: ActivityEvent) => void;

/** The last steps of the pipeline, for the console and the dashboard (in memory, bounded). */
export interface ActivityFeed {
  push(event: ActivityEvent): void;
  /** The newest `n` events, oldest first. */
  recent(n?: number): ActivityEvent[];
  /** Called for every event pushed from now on; returns the unsubscribe function. */
  subscribe(listener: ActivityListener): () => void;
  readonly capacity: number;
}

export const DEFAULT_ACTIVITY_CAPACITY = 500;

/**
 * A ring buffer: pushing is O(1) and memory stays fixed however long the bot runs.
 * A listener that throws is dropped from that one delivery, never from the feed or the pusher.
 */
export function createActivityFeed(
  capacity = DEFAULT_ACTIVITY_CAPACITY,
  onListenerError?: (error: unknown) => void,
): ActivityFeed {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`activity feed capacity must be ≥ 1, got ${capacity}`);
  const slots: Array<ActivityEvent | undefined> = new Array(capacity);
  let next = 0;
  let size = 0;
  const listeners = new Set<ActivityListener>();

  function push(event: ActivityEvent): void {
    slots[next] = event;
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }

  function recent(n = capacity): ActivityEvent[] {
    const count = Math.max(0, Math.min(n, size));
    const out: ActivityEvent[] = [];
    for (let i = count; i > 0; i--) {
      const event = slots[(next - i + capacity) % capacity];
      if (event) out.push(event);
    }
    return out;
  }

  function subscribe(listener: ActivityListener): () => void {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  return { push, recent, subscribe, capacity };
}
