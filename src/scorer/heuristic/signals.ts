/**
 * The signal table of the heuristic scorer: what a customer writes when they mean to buy,
 * and what they write when they do not. One row per pattern; rows sharing a `key` count
 * once, and rows sharing a `group` count once (a quotation request already implies a price
 * question). Labels double as summary text, and each label contains a word its own pattern
 * matches, so a later scoring re-reads its own summary (see carried signals in analyse.ts).
 */

export type SignalKind = "intent" | "refusal" | "hesitation";

/**
 * How far a customer has come, by their own words: 0 no opportunity, 1 browsing, 2 inquiry
 * (price, specification, delivery), 3 evaluation (quotation, trial, meeting, budget),
 * 4 negotiation (contract terms, payment, bargaining), 5 commitment (order, signature, deposit).
 */
export type Stage = 0 | 1 | 2 | 3 | 4 | 5;

export interface SignalRule {
  key: string;
  kind: SignalKind;
  /** Points added (intent) or taken away (refusal, hesitation): ranks signals of a group. */
  points: number;
  /** The decision stage an intent signal shows (0 for refusals and hesitation). */
  stage: Stage;
  group: string;
  pattern: RegExp;
  /** Reason text; `{m}` is replaced by the words that matched. */
  label: { zh: string; en: string };
}

const intent = (
  key: string,
  points: number,
  stage: Stage,
  group: string,
  pattern: RegExp,
  zh: string,
  en: string,
): SignalRule => ({
  key,
  kind: "intent",
  points,
  stage,
  group,
  pattern,
  label: { zh, en },
});

export const INTENT_RULES: readonly SignalRule[] = [
  intent(
    "commit",
    40,
    5,
    "commit",
    /(就|今天|今晚|马上|现在|直接)?下单(?![前后即])|我要了|就要了|(我们|我)?定了|就定|拍板|决定(了)?(买|要|采购|上|用|签|合作|订)|确定(采购|购买|合作|要)|(已经|已)?批(下来|了)|审批(通过|过了)|签(了|完|好)合同|合同(已经?|都)(签|走完|盖章)|已(经)?盖章|(付|交|打|转)(了)?(定金|订金|预付款|首付)|(定金|订金|预付款).{0,6}(付|打|转|交)|转账了|带钱过去|成交|给我(送|寄|发)(一|两|三|\d)|再(给我)?(寄|来|发)(一|两|三|\d)|我(要|买)(一|两|三|四|五|\d)(台|套|个|盒|件|辆|部)|就按.{0,12}(方案|报价|那版)/,
    "确定购买（{m}）",
    "committed to buy ({m})",
  ),
  intent(
    "commit",
    40,
    5,
    "commit",
    /\bplace (an? |the )?(trial )?order\b|\bwe('ll| will) take (it|them)\b|\bgo ahead with\b|\bsigned\b/i,
    "确定购买（{m}）",
    "committed to buy ({m})",
  ),
  intent(
    "bargain",
    30,
    4,
    "bargain",
    /(能不能|可不可以|能否|可否).{0,12}(便宜|优惠|少|低|降|控制在)|便宜(点|些)|再(低|少|优惠)(点|些)|底价|含税|分期|分(三|两|二|\d)期|付款(条件|方式|节点)|按.{0,6}(进度|批次)(付|结|分)|质保|工期|交付|合同(初稿|模板|草案|条款|文本)|法务|招标|投标|商务标|\bdeposit\b|\bproforma\b|\bTT\b/i,
    "议价/谈条款（{m}）",
    "negotiating terms ({m})",
  ),
  intent(
    "visit",
    30,
    3,
    "meeting",
    /来(我们)?(厂里?|工地|医院|学校|店里?|所里|仓库|家里|现场)|(去|到|过去)(店里|厂里|现场)|看(一下|看)?(现场|场地)|量(一下)?尺寸|试驾|试听|试弹|试戴|试拍|试一下|(做|出)(个|一份)?方案|做一次汇报|\bsite survey\b|\bvisit\b/i,
    "约上门/看现场（{m}）",
    "wants a visit ({m})",
  ),
  intent(
    "spec",
    10,
    2,
    "spec",
    /什么价|价位|有货|现货|起订量|能做吗|功能|规格|参数|型号|能耗|续航|保修|噪音|分贝|稳定性|案例|支持.{0,8}吗|\bspecs?\b|\bmaterials?\b|\blead time\b|\bclass size\b/i,
    "问规格/货期（{m}）",
    "asked about specification ({m})",
  ),
  intent(
    "order",
    35,
    3,
    "order",
    /下单|采购|订购|订货|购买|下订单|(再|要|想|先)订|买(\d+|一批|几[台套个件])|要(\d+|一批)\s*(台|套|个|件|箱|批)/,
    "有采购意向（{m}）",
    "intends to order ({m})",
  ),
  intent(
    "order",
    35,
    3,
    "order",
    /\b(place|placing|put in) (an |the |a )?order\b|\bpurchase\b|\bbuy\b|\bintend to order\b|\bintends to order\b/i,
    "有采购意向（{m}）",
    "intends to order ({m})",
  ),
  intent("contract", 32, 4, "contract", /合同|签约|\bcontract\b/i, "谈合同", "discussed a contract"),
  intent(
    "quote",
    35,
    3,
    "price",
    /报价单|正式报价|出个?报价|发个?报价|报个价|\bquotation\b|\bquote\b/i,
    "要报价单",
    "asked for a quotation",
  ),
  intent(
    "price",
    22,
    2,
    "price",
    /报价|多少钱|价格|价钱|单价|售价|费用|收费|怎么卖|优惠|折扣|\bprices?\b|\bpricing\b|\bcosts?\b|\bhow much\b/i,
    "询价（{m}）",
    "asked the price ({m})",
  ),
  intent(
    "meeting",
    35,
    3,
    "meeting",
    /面谈|拜访|见面|见个面|碰个?面|开会|视频会议|会议|上门|来(我们|我)?公司|过来(聊|看)|约个?时间/,
    "约见面",
    "wants a meeting",
  ),
  intent(
    "meeting",
    35,
    3,
    "meeting",
    /\bmeet(ing)?\b|\bvisit\b|\bvideo call\b|\bzoom\b|\bcall (tomorrow|next week|this week)\b/i,
    "约见面",
    "wants a meeting",
  ),
  intent(
    "trial",
    18,
    3,
    "trial",
    /试用|样品|样机|演示|\bdemo\b|\btrial\b|\bsamples?\b/i,
    "要试用/样品（{m}）",
    "asked for a trial or sample ({m})",
  ),
  intent("budget", 16, 3, "budget", /预算|\bbudget\b/i, "提到预算", "mentioned a budget"),
  intent(
    "delivery",
    14,
    2,
    "delivery",
    /交期|交货|发货|到货|货期|多久(能)?到|几天(能)?到|\bdelivery\b|\bship(ping)?\b|\blead time\b/i,
    "问交期/发货",
    "asked about delivery",
  ),
  intent(
    "quantity",
    14,
    2,
    "quantity",
    /数量|起订量|多少(台|套|个|件)|\d+\s*(台|套|件|箱|吨|pcs\b|units\b|sets\b)|\bMOQ\b|\bquantity\b/i,
    "谈数量（{m}）",
    "discussed quantity ({m})",
  ),
  intent(
    "payment",
    14,
    4,
    "payment",
    /付款|发票|开票|账期|定金|\binvoice\b|\bpayment terms\b/i,
    "问付款/开票",
    "asked about payment or invoice",
  ),
  intent(
    "inquiry",
    8,
    1,
    "inquiry",
    /了解|介绍|资料|产品|方案|目录|看看|问问|\bcatalog(ue)?\b|\bbrochures?\b|\binterested in\b|\bproducts?\b|\bdetails\b|\blooking\b|\bbrowsing\b/i,
    "咨询产品",
    "asked about the product",
  ),
];

const refusal = (pattern: RegExp): SignalRule => ({
  key: "refusal",
  kind: "refusal",
  points: 40,
  stage: 0,
  group: "refusal",
  pattern,
  label: { zh: "明确拒绝：{m}", en: "refused: {m}" },
});

const hesitation = (pattern: RegExp): SignalRule => ({
  key: "hesitation",
  kind: "hesitation",
  points: 15,
  stage: 0,
  group: "hesitation",
  pattern,
  label: { zh: "顾虑：{m}", en: "hesitant: {m}" },
});

/**
 * "不需要" refuses only when it ends the clause or names what we offer: "不需要太多，10台就够"
 * is an order. Refusal rows are skipped in questions ("不需要安装吗？").
 */
export const REFUSAL_RULES: readonly SignalRule[] = [
  refusal(/不需要(了|啦|哈|的|呢|吧)?$|不需要\S{0,8}了$|(不需要|不用)(你们|这个|这些|贵司|贵公司|您的|你的)/),
  refusal(/不用了|(没|没有)(什么)?兴趣|不感兴趣|(已经|已)有(合作的?|固定的?)?(供应商|厂家|合作方)/),
  refusal(/(别|不要|请勿)再?(发|打扰|联系|推销|打电话)|拉黑|退订/),
  refusal(/\bnot interested\b|\bno,? thanks?\b|\bno thank you\b|\bunsubscribe\b|\bstop (messaging|sending|contacting)\b/i),
  refusal(
    /\b(don't|do not) (contact|message|text) me\b|\bremove me\b|\balready have a (supplier|vendor)\b|\b(don't|do not) need\b/i,
  ),
  hesitation(/太贵|贵了|价格偏高|再说吧|以后再说|回头再说|考虑一下|再考虑|暂时不|先不|(没|没有)预算|预算不够/),
  hesitation(/\btoo expensive\b|\bmaybe later\b|\bnot now\b|\bthink about it\b|\bno budget\b/i),
];

/**
 * Words right before an intent keyword that turn it around ("没预算", "不要样品"); "未" also a
 * little further back, as summaries write it ("暂未提出报价").
 */
export const NEGATION_BEFORE =
  /(不需要|不用|不要|不想|不打算|暂不|暂时不|没有|没|无需|别)$|(尚未|暂未|未)\p{Script=Han}{0,2}$|\b(no|not|don't|do not|never|without)\s+(\w+\s+)?$/iu;
