/**
 * The PostgreSQL connection comes from the environment only (it holds a password), never
 * from the YAML configuration: `WXERP_DATABASE_URL=postgres://user:password@host:5432/db`.
 * Unset means the embedded default (lowdb files in the data directory).
 */
export const DATABASE_URL_ENV = "WXERP_DATABASE_URL";

export class DatabaseUrlError extends Error {
  override readonly name = "DatabaseUrlError";
}

/** The configured URL, or undefined for the embedded (lowdb) store. Blank counts as unset. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[DATABASE_URL_ENV]?.trim();
  if (!value) return undefined;
  checkDatabaseUrl(value);
  return value;
}

/** Rejects anything but a postgres:// or postgresql:// URL, naming the variable (and never echoing a password). */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`${DATABASE_URL_ENV} is not a URL; expected postgres://user:password@host:5432/database`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
    throw new DatabaseUrlError(
      `${DATABASE_URL_ENV} must start with postgres:// or postgresql:// (got ${parsed.protocol}//); expected postgres://user:password@host:5432/database`,
    );
  if (!parsed.hostname && !parsed.searchParams.get("host"))
    throw new DatabaseUrlError(`${DATABASE_URL_ENV} names no host; expected postgres://user:password@host:5432/database`);
}

/** The URL as it may be shown in logs, status and errors: the password replaced by ***. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) if (key.toLowerCase() === "password") parsed.searchParams.set(key, "***");
    return parsed.toString();
  } catch {
    // Not a URL: show nothing of it rather than risk a password.
    return "(unparseable database URL)";
  }
}
