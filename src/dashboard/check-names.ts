/** The admission check names as the seed spells them (docs/architecture.md §3.6), in display order. */
export const ADMISSION_CHECK_NAMES = ["has_mobile", "has_name", "has_company", "phone_verified", "score_pass"] as const;

export type AdmissionCheckName = (typeof ADMISSION_CHECK_NAMES)[number];

/** What a Chinese-speaking sales manager reads on the badges; English keeps the documented names. */
const CHINESE_LABELS: Record<AdmissionCheckName, string> = {
  has_mobile: "有手机号",
  has_name: "有姓名",
  has_company: "有公司名",
  phone_verified: "手机号已核实",
  score_pass: "评分达标",
};

export function checkLabel(name: AdmissionCheckName, locale: "zh" | "en"): string {
  return locale === "zh" ? CHINESE_LABELS[name] : name;
}
