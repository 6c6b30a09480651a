import pg from "pg";
import { startThrowawayPostgres } from "./throwaway-postgres.ts";

/** The machine's own server, when it runs one (trust authentication for `postgres`). */
export const LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestPostgresServer {
  url: string;
  /** Set for a throwaway server: its cluster's directory (removed by stop). */
  dataDir?: string;
  stop(): Promise<void>;
}

/**
 * Which server a test run uses, from WXERP_TEST_POSTGRES:
 * - unset: the server on 127.0.0.1:5432 when it answers, else a throwaway one started here;
 * - `throwaway`: always a throwaway one (how the fallback is exercised on a machine that has a server);
 * - a postgres:// URL: that server (a superuser's connection to an existing database).
 */
export async function testPostgresServer(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgresServer> {
  const choice = env.WXERP_TEST_POSTGRES?.trim();
  if (choice && choice !== "throwaway") return { url: choice, stop: async () => {} };
  if (!choice && (await answers(LOCAL_POSTGRES_URL))) return { url: LOCAL_POSTGRES_URL, stop: async () => {} };
  const server = await startThrowawayPostgres();
  return { url: server.url, dataDir: server.dataDir, stop: () => server.stop() };
}

export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
