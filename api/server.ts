/** The API process: listen on PORT, close cleanly on SIGINT/SIGTERM. */
import { loadEnvOrExit } from "../config/env";
import { log } from "../observability/log";
import { createApp, createHttpServer } from "./app";
import { createApiDeps } from "./deps";

const env = loadEnvOrExit();
const deps = await createApiDeps(env);
const server = createHttpServer(createApp(deps), env).listen(env.PORT, env.HOST, () => log.info("api listening", { host: env.HOST, port: env.PORT }));
// SIGTERM: stop accepting connections, let in-flight requests finish, then close Temporal and the database.
const stop = () => {
  server.close(async () => {
    await deps.close();
    log.info("api stopped");
    process.exit(0);
  });
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
