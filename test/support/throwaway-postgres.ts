import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PostgreSQL server of its own for a test run on a machine that has none listening on
 * 127.0.0.1:5432: the distribution's binaries (Debian's postgresql package: initdb, pg_ctl),
 * a cluster in a temporary directory, trust authentication for the `postgres` user, on a
 * free loopback port. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * system user the package creates.
 */
export interface ThrowawayPostgres {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:40123/postgres */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const root = await mkdtemp(join(tmpdir(), "wxerp-pg-"));
  const dataDir = join(root, "data");
  const asUser = await runAsUser(root);
  const port = await freePort();
  try {
    await asUser(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    // -k: the socket in our own directory (the default one may not exist or be writable).
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c fsync=off`;
    await asUser(join(bin, "pg_ctl"), ["-D", dataDir, "-o", options, "-l", join(root, "server.log"), "-w", "-t", "60", "start"]);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL with ${bin}: ${(error as Error).message}`);
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await asUser(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The newest /usr/lib/postgresql/<version>/bin, else the directory of an initdb on PATH. */
export function postgresBinDir(): string {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => existsSync(join(debian, name, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(":"))
    if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  throw new Error(
    "no PostgreSQL server is listening on 127.0.0.1:5432 and no initdb/pg_ctl was found to start one: install PostgreSQL (Debian: apt-get install postgresql) or start a server there",
  );
}

type Runner = (file: string, args: string[]) => Promise<void>;

async function runAsUser(root: string): Promise<Runner> {
  let ids: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    try {
      ids = {
        uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
        gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
      };
    } catch {
      throw new Error("running as root, and there is no `postgres` system user to run a throwaway PostgreSQL server as");
    }
    await chown(root, ids.uid, ids.gid);
  }
  return (file, args) =>
    new Promise((resolve, reject) => {
      // uid/gid on spawn, not su or runuser: nothing to configure, no PAM, no login shell.
      const child = spawn(file, args, { cwd: root, ...ids, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr.on("data", (chunk) => {
        output += chunk;
      });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}: ${output.trim()}`))));
    });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
