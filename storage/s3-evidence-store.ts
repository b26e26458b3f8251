/**
 * The evidence store on an S3-compatible server (MinIO in docker-compose.yml, any S3 API), through
 * the AWS SDK: one object per content hash and variant, so storing the same file again is a no-op.
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { objectKey, type EvidenceStore, type ObjectVariant } from "./evidence-store";

/** Where the bucket is and how to sign in. */
export interface S3StoreConfig {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style addressing (`endpoint/bucket/key`), as MinIO and most self-hosted servers need. */
  forcePathStyle: boolean;
}

const missing = (e: unknown) =>
  e instanceof NoSuchKey || e instanceof NotFound || (e instanceof S3ServiceException && (e.$metadata.httpStatusCode === 404 || e.name === "NoSuchKey"));

/** An S3-compatible evidence store. */
export class S3EvidenceStore implements EvidenceStore {
  readonly client: S3Client;
  private bucketReady?: Promise<void>;

  constructor(readonly config: S3StoreConfig) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // Checksums only where S3 requires them: S3-compatible servers do not all accept the SDK's default trailing checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    });
  }

  /** Creates the bucket if it does not exist (a fresh MinIO has none); once per process, again after a failure. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
      } catch (e) {
        if (!missing(e)) throw e;
        await this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket })).catch((err: unknown) => {
          if (!(err instanceof BucketAlreadyOwnedByYou)) throw err;
        });
      }
    })().catch((e: unknown) => {
      this.bucketReady = undefined;
      throw e;
    });
    return this.bucketReady;
  }

  async put(sha256: string, variant: ObjectVariant, bytes: Buffer): Promise<boolean> {
    await this.ensureBucket();
    if (await this.has(sha256, variant)) return false;
    // Two writers racing with the same key write the same bytes: the object is the same either way.
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: objectKey(sha256, variant), Body: bytes, ContentLength: bytes.length }));
    return true;
  }

  async get(sha256: string, variant: ObjectVariant): Promise<Buffer | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: objectKey(sha256, variant) }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  async has(sha256: string, variant: ObjectVariant): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: objectKey(sha256, variant) }));
      return true;
    } catch (e) {
      if (missing(e)) return false;
      throw e;
    }
  }
}
