import type { ScoreResult } from "../scorer/types.ts";
import type { ExtractedFields, ThreadMessage } from "../store/types.ts";
import { mergeMobile, proposedMobile } from "./merge-mobile.ts";

const TEXT_FIELDS = ["name", "company", "email", "address"] as const;

/**
 * Folds what the scorer extracted into what the thread already knows: empty answers never
 * erase a value, a different non-empty answer updates it, and `type` follows the company
 * (a known company name makes a company customer).
 */
export function mergeExtractedFields(
  known: ExtractedFields,
  customer: ScoreResult["customer"],
  messages: readonly ThreadMessage[],
  at: string,
  ownMobiles: ReadonlySet<string> = new Set(),
): ExtractedFields {
  const merged: ExtractedFields = { ...known };
  for (const field of TEXT_FIELDS) {
    const value = customer[field]?.trim();
    if (value) merged[field] = value;
  }
  const mobile = mergeMobile(known.mobile, proposedMobile(customer.phone, messages, at, ownMobiles));
  if (mobile) merged.mobile = mobile;
  if (merged.company) merged.type = "company";
  else if (customer.type) merged.type = customer.type;
  return merged;
}
