/**
 * The console's codec session: signing in to the console also sets an HttpOnly cookie that only
 * the codec endpoint receives (Path=/codec, SameSite=Strict), so the Temporal UI served under the
 * API's origin decodes payloads for a signed-in supervisor with no token pasted anywhere. The
 * cookie names the token's hash, an expiry and an HMAC; it is checked against the live token
 * registry, so a removed token ends its sessions too.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parse, serialize } from "cookie";
import type { Request, Response } from "express";
import type { Principal, TokenRegistry } from "./auth";

/** The cookie's name. */
export const SESSION_COOKIE = "hotline_codec_session";
const MAX_AGE_S = 8 * 3600;

/** Issues and checks codec session cookies with one HMAC key. */
export class CodecSessions {
  private readonly key: Buffer;

  constructor(
    private readonly tokens: TokenRegistry,
    secret?: string,
  ) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
  }

  /** Sets the cookie for a token's holder. */
  open(res: Response, tokenHashHex: string, secure: boolean): void {
    const value = `${tokenHashHex}.${Date.now() + MAX_AGE_S * 1000}`;
    res.append("set-cookie", serialize(SESSION_COOKIE, `${value}.${this.sign(value)}`, this.options(secure, MAX_AGE_S)));
  }

  /** Clears the cookie. */
  close(res: Response, secure: boolean): void {
    res.append("set-cookie", serialize(SESSION_COOKIE, "", this.options(secure, 0)));
  }

  /** The principal of a request's valid, unexpired session cookie, or undefined. */
  principal(req: Request): Principal | undefined {
    const raw = parse(req.get("cookie") ?? "")[SESSION_COOKIE];
    const [hash, expires, mac] = raw?.split(".") ?? [];
    if (!hash || !expires || !mac || Number(expires) < Date.now()) return undefined;
    const want = Buffer.from(this.sign(`${hash}.${expires}`));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return this.tokens.principalOfHash(hash);
  }

  private sign(value: string): string {
    return createHmac("sha256", this.key).update(value).digest("base64url");
  }

  private options(secure: boolean, maxAge: number) {
    return { httpOnly: true, sameSite: "strict" as const, path: "/codec", secure, maxAge };
  }
}
