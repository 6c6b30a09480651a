import { describe, expect, it } from "vitest";
import { createActivityFeed } from "../../src/plugins/activity-feed.ts";
import type { ActivityEvent } from "../../src/plugins/types.ts";

function event(i: number): ActivityEvent {
  return { at: new Date(Date.UTC(2026, 10, 2, 0, 0, i)).toISOString(), kind: "message", text: `#${i}` };
}

describe("activity feed", () => {
  it("keeps only the last 500 events, oldest first", () => {
    const feed = createActivityFeed();
    for (let i = 0; i < 1_234; i++) feed.push(event(i));
    const all = feed.recent(10_000);
    expect(all).toHaveLength(500);
    expect(all[0]?.text).toBe("#734");
    expect(all.at(-1)?.text).toBe("#1233");
    expect(feed.recent(3).map((e) => e.text)).toEqual(["#1231", "#1232", "#1233"]);
  });

  it("returns fewer events than asked when fewer were pushed", () => {
    const feed = createActivityFeed(5);
    feed.push(event(1));
    feed.push(event(2));
    expect(feed.recent(5).map((e) => e.text)).toEqual(["#1", "#2"]);
    expect(feed.recent(0)).toEqual([]);
  });

  it("tells subscribers about new events until they unsubscribe; a throwing listener harms no one", () => {
    const errors: unknown[] = [];
    const feed = createActivityFeed(10, (error) => errors.push(error));
    const seen: string[] = [];
    feed.subscribe(() => {
      throw new Error("broken listener");
    });
    const unsubscribe = feed.subscribe((e) => seen.push(e.text));
    feed.push(event(1));
    unsubscribe();
    feed.push(event(2));
    expect(seen).toEqual(["#1"]);
    expect(errors).toHaveLength(2);
    expect(feed.recent().map((e) => e.text)).toEqual(["#1", "#2"]);
  });

  it("refuses a capacity below 1", () => {
    expect(() => createActivityFeed(0)).toThrow(/capacity must be ≥ 1/);
  });
});
