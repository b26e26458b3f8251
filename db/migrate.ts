/** Applies the committed migrations with the Prisma CLI (a child process; the caller keeps running meanwhile). */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs `prisma migrate deploy` against a database URL. */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
  await promisify(execFile)("bash", ["scripts/prisma.sh", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    maxBuffer: 16 * 1024 * 1024,
  });
}
