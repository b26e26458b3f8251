/** The evidence store the configuration names. */
import type { Env } from "../config/env";
import { FsEvidenceStore, type EvidenceStore } from "./evidence-store";
import { S3EvidenceStore } from "./s3-evidence-store";

/** The configured evidence store: the filesystem under EVIDENCE_DIR, or the S3_* bucket. */
export function evidenceStoreFromEnv(env: Env): EvidenceStore {
  if (env.EVIDENCE_STORE === "fs") return new FsEvidenceStore(env.EVIDENCE_DIR);
  return new S3EvidenceStore({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  });
}
