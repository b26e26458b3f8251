/** The local cluster's Temporal server configuration (scripts/cluster/temporal-server.ts): ports, stores, dynamic config. */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { choosePorts, DYNAMIC_CONFIG_FILE, HISTORY_SHARDS, SCHEMA_STEPS, serverConfig, TEMPORAL_DATABASES } from "../../scripts/cluster/temporal-server";

describe("the cluster's Temporal server configuration", () => {
  it("picks nine distinct free ports below 32768 (membership ports are a smallint column)", async () => {
    const ports = Object.values(await choosePorts());
    expect(new Set(ports).size).toBe(9);
    for (const p of ports) expect(p).toBeLessThan(32768);
  });

  it("puts persistence and visibility on PostgreSQL, binds to localhost and reads the shared dynamic config", async () => {
    const ports = await choosePorts();
    const db = { host: "127.0.0.1", port: 5999, user: "u", password: "p" };
    const cfg = parse(serverConfig(db, ports, DYNAMIC_CONFIG_FILE));
    const stores = cfg.persistence.datastores;
    expect(stores[cfg.persistence.defaultStore].sql).toMatchObject({
      pluginName: "postgres12",
      databaseName: TEMPORAL_DATABASES.persistence,
      connectAddr: "127.0.0.1:5999",
    });
    expect(stores[cfg.persistence.visibilityStore].sql).toMatchObject({ pluginName: "postgres12", databaseName: TEMPORAL_DATABASES.visibility });
    expect(cfg.persistence.numHistoryShards).toBe(HISTORY_SHARDS);
    for (const svc of ["frontend", "history", "matching", "worker"]) expect(cfg.services[svc].rpc.bindOnLocalHost).toBe(true);
    expect(cfg.services.frontend.rpc.grpcPort).toBe(ports.frontend);
    expect(cfg.dynamicConfigClient.filepath).toBe(DYNAMIC_CONFIG_FILE);
    expect(existsSync(DYNAMIC_CONFIG_FILE)).toBe(true);
  });

  it("sets up each database before it updates its schema", () => {
    for (const db of Object.values(TEMPORAL_DATABASES)) {
      const steps = SCHEMA_STEPS.filter((s) => s[1] === db).map((s) => s[2]);
      expect(steps).toEqual(["create", "setup-schema", "update-schema"]);
    }
  });
});
