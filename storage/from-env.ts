/** The evidence store the configuration names. */
import type { Env } from "../config/env";
import { FsEvidenceStore, type EvidenceStore, type ObjectVariant } from "./evidence-store";
import type { S3StoreConfig } from "./s3-evidence-store";

/** The S3 store, its SDK loaded on first use: a process on the filesystem store never loads it, and start-up stays quick. */
class LazyS3Store implements EvidenceStore {
  private store?: Promise<EvidenceStore>;
  constructor(private readonly config: S3StoreConfig) {}
  private loaded(): Promise<EvidenceStore> {
    return (this.store ??= import("./s3-evidence-store").then((mod) => new mod.S3EvidenceStore(this.config)));
  }
  async put(sha256: string, variant: ObjectVariant, bytes: Buffer) {
    return (await this.loaded()).put(sha256, variant, bytes);
  }
  async get(sha256: string, variant: ObjectVariant) {
    return (await this.loaded()).get(sha256, variant);
  }
  async has(sha256: string, variant: ObjectVariant) {
    return (await this.loaded()).has(sha256, variant);
  }
}

/** The configured evidence store: the filesystem under EVIDENCE_DIR, or the S3_* bucket. */
export function evidenceStoreFromEnv(env: Env): EvidenceStore {
  if (env.EVIDENCE_STORE === "fs") return new FsEvidenceStore(env.EVIDENCE_DIR);
  return new LazyS3Store({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  });
}
