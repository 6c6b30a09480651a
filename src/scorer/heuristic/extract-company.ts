/**
 * Company names as customers type them: "我们是深圳市远航科技有限公司", "我是远航科技的张三",
 * "公司名称：华通贸易", "from Acme Co., Ltd.". Only customer text is searched (the
 * salesperson's "请问贵公司是？" names no company).
 */

const LABELLED =
  /((公司名称|公司全称|公司名|单位名称)\s*(是|叫|为|[:：])|(公司|单位)\s*(叫|[:：]))\s*([^\s，,。；;！!？?]{2,40})/;
// Full legal forms first: "远航科技有限公司" must not stop at "远航科技".
const LEGAL_SUFFIX = /(股份有限公司|有限责任公司|集团有限公司|有限公司)/gu;
const PLAIN_SUFFIX = /(集团|公司|工厂|研究院|研究所|事务所|工作室|医院|学校)/gu;
// These also start ordinary words ("科技含量", "厂家"): only at the end of a name.
const AMBIGUOUS_SUFFIX = /(科技|实业|贸易|商贸|厂)(?=$|[^\p{Script=Han}]|[的在是想要需做这那和与跟])/gu;
const NAME_CHARS = /[\p{Script=Han}A-Za-z0-9（）()·&]+$/u;
/** Words that precede a company name; the name starts after the last one. */
const CUES = [
  "我们是",
  "我是",
  "我们",
  "我司",
  "本公司",
  "这边是",
  "这里是",
  "这边",
  "来自",
  "就是",
  "是",
  "在",
  "叫",
  "的",
  "从",
  "给",
  "跟",
  "和",
  "与",
];
/** A "name" starting with these is a reference, not a name: "贵公司", "你们公司", "什么公司". */
const NOT_A_NAME =
  /^(贵|你|您|咱|他|她|哪|什么|这|那|一家|大|小|新|老|其他|别的|同行|家|本|该|总|分|做|搞|干|生产|专|主要|负责|卖|开)/;
const QUESTION = /(什么|哪|吗|呢|？|\?)/;
const ENGLISH =
  /\b([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4}\s+(?:Co\.,?\s*Ltd\.?|Co\.|Ltd\.?|Limited|Inc\.?|LLC|GmbH|Corp\.?|Corporation|Group|Technologies|Technology))(?![\w])/;

export function extractCompany(text: string): string | undefined {
  const labelled = LABELLED.exec(text)?.[6];
  if (labelled !== undefined && !QUESTION.test(labelled) && !NOT_A_NAME.test(labelled)) return labelled;
  const chinese =
    chineseCompany(text, LEGAL_SUFFIX) ?? chineseCompany(text, PLAIN_SUFFIX) ?? chineseCompany(text, AMBIGUOUS_SUFFIX);
  if (chinese !== undefined) return chinese;
  const english = ENGLISH.exec(text)?.[1];
  return english?.replace(/^(From|At|With|This Is|I Am)\s+/i, "").trim();
}

function chineseCompany(text: string, suffixes: RegExp): string | undefined {
  for (const match of text.matchAll(suffixes)) {
    const before = NAME_CHARS.exec(text.slice(0, match.index))?.[0] ?? "";
    const name = afterLastCue(before);
    if (name.length < 2 || NOT_A_NAME.test(name) || QUESTION.test(name)) continue;
    return name + match[0];
  }
  return undefined;
}

function afterLastCue(text: string): string {
  let start = 0;
  for (const cue of CUES) {
    const at = text.lastIndexOf(cue);
    if (at >= 0 && at + cue.length > start) start = at + cue.length;
  }
  return text.slice(start);
}
