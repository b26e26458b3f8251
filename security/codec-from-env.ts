/** The payload codec configured by TEMPORAL_CODEC_KEYS (a development key outside production). */
import type { Env } from "../config/env";
import { AesGcmCodec, developmentCodecKeys, parseKeys } from "./codec";

/** Builds the codec; production must configure its keys. */
export function codecFromEnv(env: Pick<Env, "NODE_ENV" | "TEMPORAL_CODEC_KEYS">): AesGcmCodec {
  if (env.NODE_ENV === "production" && !env.TEMPORAL_CODEC_KEYS) throw new Error("invalid configuration:\n  TEMPORAL_CODEC_KEYS is required in production");
  return new AesGcmCodec(parseKeys(env.TEMPORAL_CODEC_KEYS ?? developmentCodecKeys()));
}
