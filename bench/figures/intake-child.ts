/**
 * One intake or store measurement in a process of its own (started with --expose-gc by
 * intake-memory.ts), so its memory figures hold nothing of the other figures. Prints the
 * result as one JSON line.
 *
 *   node --expose-gc --import tsx bench/figures/intake-child.ts intake|store <threads>
 */
import { benchIntake, benchStore } from "../intake-throughput.ts";

const [kind, size] = process.argv.slice(2);
const threads = Number(size);
if (!(threads > 0) || (kind !== "intake" && kind !== "store")) {
  process.stderr.write("usage: intake-child.ts intake|store <threads>\n");
  process.exit(2);
}
// A short warm-up first (JIT, the mock puppet's first use), so both sizes measure steady work.
if (kind === "intake") await benchIntake({ messages: 2_000, threads: 500 });
// Intake: one message per thread, so every message opens a thread (contact + thread records).
const result = kind === "intake" ? await benchIntake({ messages: threads, threads }) : await benchStore({ threads });
process.stdout.write(`${JSON.stringify(result)}\n`);
