/**
 * The Temporal UI server for the cluster (the ui-server the CLI's dev server embeds), served by the
 * API processes under /temporal/ as `npm run up` does: same origin as the API's /codec endpoint.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

/** Writes the UI's configuration and starts it; resolves once it answers (30 s at most). */
export async function startUi(bin: string, dir: string, opts: { temporalAddress: string; port: number; namespace: string }): Promise<ChildProcess> {
  mkdirSync(join(dir, "config"), { recursive: true });
  writeFileSync(
    join(dir, "config", "cluster.yaml"),
    stringify({
      temporalGrpcAddress: opts.temporalAddress,
      host: "127.0.0.1",
      port: opts.port,
      publicPath: "/temporal",
      enableUi: true,
      defaultNamespace: opts.namespace,
      notifyOnNewVersion: false,
      // The browser decodes payloads through the API's codec endpoint, with the console's session cookie.
      codec: { endpoint: "/codec", includeCredentials: true },
      cors: { allowOrigins: [], cookieInsecure: true },
    }),
  );
  const log = openSync(join(dir, "ui-server.log"), "a");
  const child = spawn(bin, ["--root", dir, "--config", "config", "--env", "cluster", "start"], { stdio: ["ignore", log, log] });
  closeSync(log);
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${opts.port}/temporal/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return child;
    if (child.exitCode !== null || i > 300) throw new Error(`the Temporal UI server did not start; see ${join(dir, "ui-server.log")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
