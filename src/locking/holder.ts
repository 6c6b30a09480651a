import { readlinkSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename } from "node:path";
import { z } from "zod";

/** Who holds a lock: recorded beside the lock by the process that took it, for messages and for telling a dead holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The pid namespace (a container has its own): a pid means something only inside its namespace. */
  pidNamespace: string;
  /** What the holder runs, e.g. `wxerp start`. */
  command: string;
  /** When it took the lock (ISO time). */
  since: string;
}

const holderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  pidNamespace: z.string(),
  command: z.string(),
  since: z.string(),
});

const WXERP_COMMANDS = new Set(["start", "replay", "sync", "status", "erp"]);

/** This process, as the holder of a lock taken now. */
export function thisProcess(): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    pidNamespace: pidNamespace(),
    command: commandLabel(),
    since: new Date().toISOString(),
  };
}

/** Written to a temporary file and renamed, so a reader sees the old record or the new one, never half. */
export async function writeHolder(file: string, holder: LockHolder): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(holder)}\n`);
  await rename(temp, file);
}

/** The recorded holder, or undefined when there is none or it cannot be read. */
export async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * true only when the holder has certainly ended: it ran on this machine, in this pid namespace,
 * and its pid is gone (or is ours, taken over from a process that ran before this one started:
 * a restarted container's pid 1). Anything we cannot check counts as still running.
 */
export function holderHasEnded(holder: LockHolder, heldInThisProcess: boolean): boolean {
  if (holder.host !== hostname() || holder.pidNamespace !== pidNamespace()) return false;
  if (holder.pid === process.pid) return !heldInThisProcess && Date.parse(holder.since) < performance.timeOrigin;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** "`wxerp start` (pid 123)", with the host when it is another machine. */
export function describeHolder(holder: LockHolder): string {
  const where = holder.host === hostname() ? "" : ` on ${holder.host}`;
  return `\`${holder.command}\` (pid ${holder.pid}${where}, since ${holder.since})`;
}

let cachedNamespace: string | undefined;

function pidNamespace(): string {
  if (cachedNamespace === undefined) {
    try {
      cachedNamespace = readlinkSync("/proc/self/ns/pid");
    } catch {
      cachedNamespace = "unknown"; // no /proc (macOS): the host name alone tells machines apart
    }
  }
  return cachedNamespace;
}

function commandLabel(): string {
  const entry = basename(process.argv[1] ?? "node");
  const command = process.argv.slice(2).find((arg) => WXERP_COMMANDS.has(arg));
  return /^(wxerp|wxerp\.js|cli\.ts)$/.test(entry) && command ? `wxerp ${command}` : entry;
}
