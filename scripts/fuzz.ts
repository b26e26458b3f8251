/**
 * Starts a stack (dev server, embedded database, worker, API) and runs schemathesis against its
 * /openapi.json with an admin, a supervisor and a unit token in turn; exits non-zero on any failure.
 */
import { spawn } from "node:child_process";
import { startStack } from "./bench/stack";

const args = process.argv.slice(2);
const maxExamples = args.includes("--max-examples") ? args[args.indexOf("--max-examples") + 1]! : "25";
const st = process.env.SCHEMATHESIS ?? "schemathesis";
const stack = await startStack();
let failed = false;
try {
  for (const token of ["dev-admin-token", "dev-supervisor-token", "dev-unit-branch-jiefang-token", "dev-integration-token"]) {
    console.log(`[fuzz] ${token.replace(/-token$/, "")}: up to ${maxExamples} examples per operation`);
    const code = await new Promise<number>((resolve) => {
      const p = spawn(st, [
        "--no-color", "run", `${stack.base}/openapi.json`, "--url", stack.base,
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", maxExamples, "--header", `Authorization: Bearer ${token}`,
        "--request-timeout", "30", "--seed", "1",
      ], { stdio: "inherit" });
      p.on("exit", (c) => resolve(c ?? 1));
    });
    if (code !== 0) failed = true;
  }
} finally {
  await stack.stop();
}
process.exit(failed ? 1 : 0);
