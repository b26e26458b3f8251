/**
 * Where evidence bytes live: a content-addressed object store (key = SHA-256 of the stored bytes),
 * so the same file stored twice is one object and a retried write changes nothing. Two
 * implementations behind this interface: the filesystem (embedded default, under .data/evidence)
 * and any S3-compatible server (storage/s3-evidence-store.ts; MinIO in docker-compose.yml).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** The kinds of object kept per content hash: the file itself, and an image's thumbnail. */
export type ObjectVariant = "original" | "thumbnail";

/** A content-addressed object store for evidence files. */
export interface EvidenceStore {
  /** Stores bytes under their SHA-256 (hex) and variant; true when the object was new. Idempotent. */
  put(sha256: string, variant: ObjectVariant, bytes: Buffer): Promise<boolean>;
  /** The bytes, or undefined when absent. */
  get(sha256: string, variant: ObjectVariant): Promise<Buffer | undefined>;
  /** Whether the object exists. */
  has(sha256: string, variant: ObjectVariant): Promise<boolean>;
}

/** SHA-256 (hex) of bytes: an evidence object's address. */
export const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const HEX64 = /^[0-9a-f]{64}$/;

/** The object key of a hash and variant (`sha256/ab/abcdef…`, `thumb/ab/abcdef…`); refuses anything but a hex hash. */
export function objectKey(sha256: string, variant: ObjectVariant): string {
  if (!HEX64.test(sha256)) throw new Error("not a SHA-256 hex digest");
  return `${variant === "original" ? "sha256" : "thumb"}/${sha256.slice(0, 2)}/${sha256}`;
}

/** The filesystem store: one file per object, written to a temporary name and renamed, so a reader never sees half a file. */
export class FsEvidenceStore implements EvidenceStore {
  constructor(private readonly root: string) {}

  private path(sha256: string, variant: ObjectVariant): string {
    return join(this.root, objectKey(sha256, variant));
  }

  async put(sha256: string, variant: ObjectVariant, bytes: Buffer): Promise<boolean> {
    const path = this.path(sha256, variant);
    if (await this.has(sha256, variant)) return false;
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, bytes, { flag: "wx" });
      // rename() replaces atomically: two concurrent writers of the same content leave one object.
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
    return true;
  }

  async get(sha256: string, variant: ObjectVariant): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(sha256, variant));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }

  async has(sha256: string, variant: ObjectVariant): Promise<boolean> {
    try {
      return (await stat(this.path(sha256, variant))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw e;
    }
  }
}
