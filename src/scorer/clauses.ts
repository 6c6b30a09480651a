/**
 * Customer text cut into clauses: the unit that signals, refusals and injections are
 * detected in. Chinese chats use commas as sentence breaks ("不需要，谢谢"), so commas cut too;
 * a clause keeps its terminator so a question can be told from a statement.
 */

export interface Clause {
  /** The clause without its terminator, trimmed. */
  text: string;
  /** The clause exactly as written, terminator included (joining them gives the text back). */
  raw: string;
  /** Ends with a question mark, a question particle, or asks with a question word. */
  question: boolean;
}

const CLAUSE = /[^。！？!?；;\n，,]+[。！？!?；;\n，,]*/g;
const QUESTION_MARK = /[?？]/;
const QUESTION_PARTICLE = /(吗|呢|么|嘛)$/;
const QUESTION_WORD =
  /(多少|几[天个台套号点时]|什么|怎么|哪[里儿个些家]|能不能|可不可以|能否|是否|有没有|行不行|^(how|what|when|where|which|who|why|can|could|do|does|is|are|would|will)\b)/i;

export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  for (const match of text.matchAll(CLAUSE)) {
    const raw = match[0];
    const terminator = /[。！？!?；;\n，,]+$/.exec(raw)?.[0] ?? "";
    const body = raw.slice(0, raw.length - terminator.length).trim();
    if (body === "") continue;
    const question = QUESTION_MARK.test(terminator) || QUESTION_PARTICLE.test(body) || QUESTION_WORD.test(body);
    clauses.push({ text: body, raw, question });
  }
  return clauses;
}
