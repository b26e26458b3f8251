/**
 * Integration suite set-up: a real database (an embedded PostgreSQL server on a free port with a
 * temporary data directory, or the PostgreSQL named by TEST_DATABASE_URL) with the committed
 * migrations applied, and a real Temporal dev server with the project's search attributes. Tests
 * get their addresses through `inject`.
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import type { TestProject } from "vitest/node";
import { startEmbeddedPg, type EmbeddedPg } from "../../db/embedded-postgres";
import { migrateDeploy } from "../../db/migrate";
import { cliExecutable } from "../../scripts/temporal-executables";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPg | undefined;
  let url = process.env.TEST_DATABASE_URL;
  const t0 = Date.now();
  if (!url) {
    embedded = await startEmbeddedPg();
    url = embedded.url;
  }
  const t1 = Date.now();
  await migrateDeploy(url);
  console.log(`[integration] ${embedded ? `embedded PostgreSQL started in ${t1 - t0} ms,` : "PostgreSQL"} migrated in ${Date.now() - t1} ms`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: cliExecutable(), searchAttributes: SEARCH_ATTRIBUTES, log: { format: "pretty", level: "error" } },
  });
  project.provide("databaseUrl", url);
  project.provide("temporalAddress", env.address);
  return async () => {
    await env.teardown();
    await embedded?.stop();
  };
}
