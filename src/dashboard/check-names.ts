/** The admission check names as the seed spells them (docs/architecture.md §3.6), in display order. */
export const ADMISSION_CHECK_NAMES = ["has_mobile", "has_name", "has_company", "phone_verified", "score_pass"] as const;
