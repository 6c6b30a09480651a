/**
 * A small parser for the JS object literals the vendor's own samples post: unquoted keys,
 * single-quoted strings, trailing commas (docs/zhibang-protocol.md §2.1; the real server evals the body
 * as JScript). Strict JSON is tried first; this only runs when JSON.parse fails.
 */

export class RelaxedJsonError extends Error {
  override readonly name = "RelaxedJsonError";
}

const IDENTIFIER = /[A-Za-z0-9_$@]/;

export function parseRelaxedJson(text: string): unknown {
  const parser = new Parser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("unexpected text after the value");
  return value;
}

class Parser {
  private index = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.index >= this.text.length;
  }

  fail(reason: string): never {
    throw new RelaxedJsonError(`${reason} at position ${this.index}`);
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const char = this.text[this.index]!;
      if (/\s/.test(char)) this.index += 1;
      else if (this.text.startsWith("//", this.index)) this.skipUntil("\n");
      else if (this.text.startsWith("/*", this.index)) this.skipUntil("*/");
      else return;
    }
  }

  private skipUntil(end: string): void {
    const at = this.text.indexOf(end, this.index + 2);
    this.index = at < 0 ? this.text.length : at + end.length;
  }

  value(): unknown {
    this.skipSpace();
    const char = this.text[this.index];
    if (char === "{") return this.object();
    if (char === "[") return this.array();
    if (char === '"' || char === "'") return this.string();
    if (char === undefined) this.fail("unexpected end of input");
    return this.bareWord();
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index += 1;
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === "}") break;
      const key = this.key();
      this.skipSpace();
      if (this.text[this.index] !== ":") this.fail("expected ':'");
      this.index += 1;
      result[key] = this.value();
      if (!this.separator("}")) break;
    }
    this.index += 1;
    return result;
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.index += 1;
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === "]") break;
      result.push(this.value());
      if (!this.separator("]")) break;
    }
    this.index += 1;
    return result;
  }

  /** After a member: true if a comma follows; false at the closing bracket. */
  private separator(close: string): boolean {
    this.skipSpace();
    const char = this.text[this.index];
    if (char === ",") {
      this.index += 1;
      return true;
    }
    if (char !== close) this.fail(`expected ',' or '${close}'`);
    return false;
  }

  private key(): string {
    const char = this.text[this.index];
    if (char === '"' || char === "'") return this.string();
    const start = this.index;
    while (!this.atEnd() && IDENTIFIER.test(this.text[this.index]!)) this.index += 1;
    if (start === this.index) this.fail("expected a key");
    return this.text.slice(start, this.index);
  }

  private string(): string {
    const quote = this.text[this.index];
    let result = "";
    this.index += 1;
    for (;;) {
      if (this.atEnd()) this.fail("unterminated string");
      const char = this.text[this.index++]!;
      if (char === quote) return result;
      result += char === "\\" ? this.escape() : char;
    }
  }

  private escape(): string {
    const char = this.text[this.index++];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "0": "\0" };
    if (char === undefined) this.fail("unterminated escape");
    if (char === "u") {
      const hex = this.text.slice(this.index, this.index + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
      this.index += 4;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    return simple[char] ?? char;
  }

  private bareWord(): unknown {
    const start = this.index;
    while (!this.atEnd() && /[A-Za-z0-9_.+\-$]/.test(this.text[this.index]!)) this.index += 1;
    const word = this.text.slice(start, this.index);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null" || word === "undefined") return null;
    if (word !== "" && Number.isFinite(Number(word))) return Number(word);
    return this.fail(`unexpected token '${word || this.text[start]}'`);
  }
}
