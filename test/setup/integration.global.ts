/**
 * Integration suite set-up: a real database (embedded PGlite, or the PostgreSQL named by
 * TEST_DATABASE_URL) with the committed migrations applied, and a real Temporal dev server
 * with the project's search attributes. Tests get their addresses through `inject`.
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "../../db/migrate";
import { startEmbeddedPg, type EmbeddedPg } from "../../db/pglite-server";
import { cliExecutable } from "../../scripts/temporal-executables";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";

declare module "vitest" {
  export interface ProvidedContext { databaseUrl: string; temporalAddress: string; databaseKind: string }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPg | undefined;
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPg();
    url = embedded.url;
  }
  const t0 = Date.now();
  await migrateDeploy(url);
  console.log(`[integration] ${embedded ? "PGlite" : "PostgreSQL"} migrated in ${Date.now() - t0} ms`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: cliExecutable(), searchAttributes: SEARCH_ATTRIBUTES, log: { format: "pretty", level: "error" } },
  });
  project.provide("databaseUrl", url);
  project.provide("temporalAddress", env.address);
  project.provide("databaseKind", embedded ? "pglite" : "postgresql");
  return async () => {
    await env.teardown();
    await embedded?.stop();
  };
}
