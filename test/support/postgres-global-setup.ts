import type { TestProject } from "vitest/node";
import { testPostgresServer } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the server the run's tests make their databases on. */
    postgresAdminUrl: string;
  }
}

/**
 * vitest globalSetup: one PostgreSQL server for the whole run (the machine's, or a throwaway
 * one started here and stopped after the run). Each test file makes its own database on it
 * (test/support/postgres.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await testPostgresServer();
  project.provide("postgresAdminUrl", server.url);
  return () => server.stop();
}
