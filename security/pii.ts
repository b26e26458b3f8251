/**
 * Personal data protection: AES-256-GCM with a key id (rotation: old keys still decrypt), keyed
 * hashes for matching without plaintext, and masking for roles that may not see the data.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

/** Encrypts, decrypts and hashes personal data with the configured keys. */
export class PiiVault {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;

  /** keys: `kid:base64(32 bytes)` comma-separated, the first one encrypts. */
  constructor(
    keySpec: string,
    private readonly hmacSecret: string,
  ) {
    this.keys = new Map();
    for (const part of keySpec
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [kid, b64] = part.split(":");
      const key = Buffer.from(b64 ?? "", "base64");
      if (!kid || key.length !== 32) throw new Error(`PII_KEYS: key "${kid}" must be 32 bytes in base64`);
      this.keys.set(kid, key);
    }
    if (this.keys.size === 0) throw new Error("PII_KEYS: at least one key is required");
    this.current = this.keys.keys().next().value!;
  }

  /** The key id that encrypts new data. */
  get currentKeyId(): string {
    return this.current;
  }

  /** The key for a key id (for the payload codec too). */
  key(kid: string): Buffer {
    const key = this.keys.get(kid);
    if (!key) throw new Error(`unknown key id ${kid}`);
    return key;
  }

  /** `kid.iv.tag.ciphertext`, base64url parts. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key(this.current), iv);
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [this.current, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
  }

  /** Decrypts what `encrypt` produced, with whichever key it names. */
  decrypt(sealed: string): string {
    const [kid, iv, tag, ct] = sealed.split(".");
    const decipher = createDecipheriv("aes-256-gcm", this.key(kid!), Buffer.from(iv!, "base64url"));
    decipher.setAuthTag(Buffer.from(tag!, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct!, "base64url")), decipher.final()]).toString("utf8");
  }

  /** Keyed hash of a normalised value: equal inputs match, the plaintext is never stored. */
  hash(value: string): string {
    return createHmac("sha256", this.hmacSecret).update(normalise(value)).digest("base64url");
  }
}

/** Lower-cases, drops whitespace and punctuation, and a +86 / 0086 prefix of phone numbers. */
export function normalise(value: string): string {
  return value
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, "")
    .replace(/^(0086|86)(?=1\d{10}$)/, "");
}

/** `138****5678` for phones, `张*` / `张*明` for names. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, "");
  return d.length >= 7 ? `${d.slice(0, 3)}****${d.slice(-4)}` : "****";
}

/** Keeps the first (and last, for 3+ characters) character of a name. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A fixed development key set, derived from a label; production must set PII_KEYS. */
export function developmentKeys(): { keys: string; hmac: string } {
  const key = createHash("sha256").update("hotline-cases development key").digest("base64");
  return { keys: `dev1:${key}`, hmac: "hotline-cases-development-hmac" };
}
