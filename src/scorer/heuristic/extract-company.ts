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
    const name = nameBeforeSuffix(before);
    if (name.length < 2 || NOT_A_NAME.test(name) || QUESTION.test(name)) continue;
    return name + match[0];
  }
  return undefined;
}

/**
 * Industry words: a name made of these alone has lost its 字号 (trade name) to a cue that
 * is really part of it, as 和 in "南京泰和电子有限公司".
 */
const INDUSTRY_ONLY =
  /^(科技|机械|电子|贸易|商贸|物流|包装|材料|精密|制造|电气|设备|食品|建材|塑胶|制品|汽车|零部件|实业|信息|技术|网络|软件|化工|医药|服装|纺织|五金|家具|环保|能源|工程|建筑|装饰|印刷|咨询|文化|传媒|电器|仪器|仪表|模具|光电|生物|农业|智能|自动化|工业|国际|发展)*$/;

/**
 * The name starts after the last cue, unless that cue is a single character that also
 * occurs in trade names (和, 与, 在...) and only industry words follow it: then it is
 * part of the name and the name starts at the cue before (or at the start).
 */
function nameBeforeSuffix(text: string): string {
  const cues = cueEnds(text);
  for (const cue of cues) {
    const name = text.slice(cue.end);
    if (!INDUSTRY_ONLY.test(name) || cue.length > 1) return name;
  }
  return INDUSTRY_ONLY.test(text) ? afterLastCue(text) : text;
}

/** Where each cue occurrence ends, the latest first (a longer cue first at the same place). */
function cueEnds(text: string): Array<{ end: number; length: number }> {
  const ends: Array<{ end: number; length: number }> = [];
  for (const cue of CUES) {
    for (let at = text.indexOf(cue); at >= 0; at = text.indexOf(cue, at + 1))
      ends.push({ end: at + cue.length, length: cue.length });
  }
  return ends.sort((a, b) => b.end - a.end || b.length - a.length);
}

function afterLastCue(text: string): string {
  let start = 0;
  for (const cue of CUES) {
    const at = text.lastIndexOf(cue);
    if (at >= 0 && at + cue.length > start) start = at + cue.length;
  }
  return text.slice(start);
}
