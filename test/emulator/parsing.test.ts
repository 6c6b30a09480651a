import { describe, expect, it } from "vitest";
import { BodyParseError, parseBodyText } from "../../plugins/zhibang-erp/emulator/body-parser.ts";
import { unescapeControlCharacters } from "../../plugins/zhibang-erp/emulator/render.ts";

describe("JS object literal bodies (docs/zhibang-protocol.md §2.1)", () => {
  it.each([
    [
      `{session:"******", datas:[{id:"user", val:"txt:admin"}]}`,
      { session: "******", datas: [{ id: "user", val: "txt:admin" }] },
    ],
    [`{session:'', datas:[ {id:'user', val:'txt:王'}]}`, { session: "", datas: [{ id: "user", val: "txt:王" }] }],
    [`{datas:[{id:"pagesize",val:500,},], cmdkey:"refresh"}`, { datas: [{ id: "pagesize", val: 500 }], cmdkey: "refresh" }],
    [`{a:'it\\'s', b:"\\u4e2d", c:true, d:null, e:-1.5} // trailing comment`, { a: "it's", b: "中", c: true, d: null, e: -1.5 }],
  ])("parses %s", (text, expected) => {
    expect(parseBodyText(text)).toEqual(expected);
  });

  it.each([`{a:}`, `{a:"x"`, `{a b}`, `[1 2]`, `{a:"x"} extra`])("rejects %s, saying where", (text) => {
    expect(() => parseBodyText(text)).toThrow(BodyParseError);
    expect(() => parseBodyText(text)).toThrow(/neither JSON nor a JS object literal: .* at 1:\d+/);
  });

  it("prefers strict JSON, strips a BOM, and rejects non-objects", () => {
    expect(parseBodyText('\uFEFF{"a":"b"}')).toEqual({ a: "b" });
    expect(parseBodyText("")).toEqual({});
    expect(() => parseBodyText("[1]")).toThrow(/not an object/);
  });
});

describe("raw control characters", () => {
  it("unescapes control characters but keeps escaped backslashes", () => {
    const json = JSON.stringify({ a: "x\ny\u0001", b: "c:\\new" });
    const raw = unescapeControlCharacters(json);
    expect(raw).toBe('{"a":"x\ny\u0001","b":"c:\\\\new"}');
  });
});
