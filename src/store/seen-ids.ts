import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type { CoalescingWriter } from "./coalescing-writer.ts";
import { JsonFile, type JsonFileOptions } from "./json-file.ts";
import { type SeenSegment, seenSegmentSchema } from "./schema.ts";

/** Segments in the ring: a write rewrites one segment, about capacity / 16 ids. */
const MAX_SEGMENTS = 16;

/**
 * The bounded, persisted memory of message ids already taken in (dedupe across restarts).
 * Ids fill the newest of 16 segment files; when it is full, the oldest segment is emptied
 * and becomes the newest. So at most `capacity` ids are kept, at least about
 * `capacity - capacity / 16`, and the oldest are forgotten first.
 */
export class SeenIds {
  readonly #segments: Array<Low<SeenSegment>>;
  readonly #writer: CoalescingWriter;
  readonly #dir: string;
  readonly #segmentSize: number;
  readonly #known = new Set<string>();
  #current = 0;

  constructor(options: { root: string; capacity: number; writer: CoalescingWriter; fileOptions: JsonFileOptions }) {
    this.#dir = join(options.root, "seen");
    this.#writer = options.writer;
    const count = Math.max(1, Math.min(MAX_SEGMENTS, options.capacity));
    this.#segmentSize = Math.max(1, Math.floor(options.capacity / count));
    this.#segments = Array.from({ length: count }, (_unused, index) => {
      const file = join(this.#dir, `${String(index).padStart(2, "0")}.json`);
      return new Low<SeenSegment>(new JsonFile(file, seenSegmentSchema, options.fileOptions), { seq: 0, ids: [] });
    });
  }

  get size(): number {
    return this.#known.size;
  }

  /** `create: false` (a read-only store) makes no directory; missing segments read as empty. */
  async load(options: { create: boolean } = { create: true }): Promise<void> {
    if (options.create) await mkdir(this.#dir, { recursive: true });
    for (const segment of this.#segments) await segment.read();
    let newest = 0;
    this.#segments.forEach((segment, index) => {
      if (segment.data.seq > (this.#segments[newest] as Low<SeenSegment>).data.seq) newest = index;
      for (const id of segment.data.ids) this.#known.add(id);
    });
    this.#current = newest;
  }

  has(id: string): boolean {
    return this.#known.has(id);
  }

  /** Every remembered id, oldest first (segments in the order they were filled). */
  ids(): string[] {
    return [...this.#segments]
      .map((segment) => segment.data)
      .sort((a, b) => a.seq - b.seq)
      .flatMap((data) => data.ids);
  }

  /** true the first time `id` is seen (then remembered); false for a repeat. */
  mark(id: string): boolean {
    if (this.#known.has(id)) return false;
    let segment = this.#segments[this.#current] as Low<SeenSegment>;
    if (segment.data.ids.length >= this.#segmentSize) segment = this.#rotate(segment.data.seq);
    segment.data.ids.push(id);
    this.#known.add(id);
    const index = this.#current;
    this.#writer.markDirty(`seen/${index}`, () => segment.write());
    return true;
  }

  /** Empties the oldest segment (forgetting its ids) and makes it the one being filled. */
  #rotate(seq: number): Low<SeenSegment> {
    this.#current = (this.#current + 1) % this.#segments.length;
    const oldest = this.#segments[this.#current] as Low<SeenSegment>;
    for (const id of oldest.data.ids) this.#known.delete(id);
    oldest.data = { seq: seq + 1, ids: [] };
    return oldest;
  }
}
