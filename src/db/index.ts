export { checkDatabaseUrl, DATABASE_URL_ENV, DatabaseUrlError, databaseUrlFromEnv, maskDatabaseUrl } from "./database-url.ts";
export { MIGRATIONS_DIR, MIGRATIONS_TABLE, migrateDatabase } from "./migrate.ts";
export { type Database, openDatabase } from "./open-database.ts";
export { createPool, inTransaction, type Pool, type PoolClient, type PoolOptions } from "./pool.ts";
