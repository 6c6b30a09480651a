import type { AdmissionResult } from "../../../src/plugin-api.ts";
import { MOBILE_PATTERN } from "../../../src/plugin-api.ts";
import type { CustomerIdentity } from "./customer-identity.ts";

/** The seed's five checks, in the seed's order and with its names (docs/architecture.md §3.6). */
export const ADMISSION_CHECKS = ["has_mobile", "has_name", "has_company", "phone_verified", "score_pass"] as const;
export type AdmissionCheck = (typeof ADMISSION_CHECKS)[number];

export interface AdmissionInput {
  identity: CustomerIdentity;
  score: number | undefined;
  threshold: number;
  /** Staff ran `/erp sync` and took responsibility for the score (never for the other checks). */
  scoreOverriddenBy?: string;
  at: string;
}

/** Pure: decides whether a thread may become an ERP customer, and why not. */
export function checkAdmission(input: AdmissionInput): AdmissionResult {
  const { identity } = input;
  const checks: Record<AdmissionCheck, boolean> = {
    has_mobile: identity.mobile !== undefined && MOBILE_PATTERN.test(identity.mobile),
    has_name: Boolean(identity.name),
    has_company: identity.type === "personal" || Boolean(identity.company),
    phone_verified: identity.mobile !== undefined && identity.mobileVerified,
    score_pass: input.scoreOverriddenBy !== undefined || (input.score ?? -1) >= input.threshold,
  };
  const failed = ADMISSION_CHECKS.filter((name) => !checks[name]);
  const result: AdmissionResult = { passed: failed.length === 0, failed, checks, at: input.at };
  if (input.scoreOverriddenBy !== undefined) result.overriddenBy = input.scoreOverriddenBy;
  return result;
}
