import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * The processes a command started, read from /proc (Linux): what a supervisor would leave
 * behind if only the top process exited.
 */

interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields after the last ")" are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0] ?? "?", ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid` (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const stat of all) {
      if (stat.ppid !== parent || stat.state === "Z") continue;
      found.push(stat.pid);
      walk(stat.pid);
    }
  };
  walk(pid);
  return found;
}

/** A process that exited counts as gone even while nobody has reaped it yet (a zombie). */
export function isGone(pid: number): boolean {
  const stat = readStat(pid);
  return stat === undefined || stat.state === "Z";
}

/** The command line of a process, for failure messages. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "(gone)";
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when `port` on 127.0.0.1 can be bound (nothing holds it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
