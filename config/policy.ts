/** The business policy snapshotted into each new case, from configuration. */
import type { CasePolicy } from "../workflows/contract";
import type { Env } from "./env";

/** The case policy configured by the environment. */
export function policyFromEnv(env: Env): CasePolicy {
  return {
    signDays: env.SIGN_DAYS,
    maxExtensions: env.MAX_EXTENSIONS,
    maxExtensionDays: env.MAX_EXTENSION_DAYS,
    escalateAtRepeats: env.ESCALATE_AT_REPEATS,
    revisitAfterDays: env.REVISIT_AFTER_DAYS,
    revisitSampleRate: env.REVISIT_SAMPLE_RATE,
    maxRewardYuan: env.MAX_REWARD_YUAN,
    continueAsNewAfterTransitions: env.CONTINUE_AS_NEW_AFTER_TRANSITIONS,
    evidenceRequiredOnViolation: env.EVIDENCE_REQUIRED_ON_VIOLATION,
  };
}
