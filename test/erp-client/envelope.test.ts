import { describe, expect, it } from "vitest";
import { readBill } from "../../plugins/zhibang-erp/client/bill.ts";
import { asZsml, parseErpReply, type ZsmlReply } from "../../plugins/zhibang-erp/client/envelope.ts";
import { ErpProtocolError, ErpServerError, ErpValidationError } from "../../plugins/zhibang-erp/client/errors.ts";
import { parseLenientJson } from "../../plugins/zhibang-erp/client/lenient-json.ts";
import { expectAcceptedMessage } from "../../plugins/zhibang-erp/client/message.ts";
import { readTable } from "../../plugins/zhibang-erp/client/table.ts";
import { thrown } from "../support/thrown.ts";

const ok = { operation: "test", httpStatus: 200 };

function zsml(text: string, httpStatus = 200): ZsmlReply {
  return asZsml(parseErpReply(text, { operation: "test", httpStatus }), "test");
}

describe("ZBDocument header (docs/zhibang-protocol.md §3.1, §3.2)", () => {
  it.each([
    [
      "status as a number",
      '{"header":{"status":0,"message":"ok","session":"S1"},"body":{"model":"message","message":{"text":"保存成功"}}}',
      0,
    ],
    [
      "status as the template's string",
      '{"header":{"status":"0","message":"ok","session":"S1"},"body":{"model":"message","message":{"text":"x"}}}',
      0,
    ],
    ["the crash handler's string status", '{"header":{"status":"11","message":"服务程序发生错误"}}', 11],
    [
      "post: null beside header and body",
      '{"post":null,"header":{"status":0,"message":"ok"},"body":{"model":"message","message":{"text":""}}}',
      0,
    ],
    ["post absent, body null", '{"header":{"status":1,"message":"会话超时，请您重新登录。"},"body":null}', 1],
    ["body absent", '{"header":{"status":1,"message":"会话超时，请您重新登录。"}}', 1],
  ])("reads %s", (_name, text, status) => {
    const reply = zsml(text);
    expect(reply.status).toBe(status);
    expect(typeof reply.message).toBe("string");
  });

  it("keeps header.session and the body model and action", () => {
    const reply = zsml(
      '{"header":{"status":0,"message":"ok","session":"tok-1"},"body":{"model":"init","action":"sys","sys":{}}}',
    );
    expect(reply).toMatchObject({ session: "tok-1", model: "init", action: "sys" });
  });

  it("refuses a status that is not a number, naming the header", () => {
    const error = thrown(() => zsml('{"header":{"status":"ok"},"body":{}}'));
    expect(error).toBeInstanceOf(ErpProtocolError);
    expect((error as Error).message).toContain("header");
  });

  it("names an unknown body.model", () => {
    const error = thrown(() => zsml('{"header":{"status":0},"body":{"model":"hologram","hologram":{}}}'));
    expect(error).toBeInstanceOf(ErpProtocolError);
    expect((error as Error).message).toContain('"hologram"');
  });
});

describe("raw control characters (docs/zhibang-protocol.md §2.1, PY2 strict=False)", () => {
  it("parses a reply with a raw newline, tab and \\u0001 inside strings", () => {
    const text =
      '{"header":{"status":0,"message":"ok"},"body":{"model":"message","message":{"text":"第一行\n第二行\t\u0001end"}}}';
    expect(() => JSON.parse(text)).toThrow();
    const reply = zsml(text);
    expect(expectAcceptedMessage(reply, "save").text).toBe("第一行\n第二行\t\u0001end");
  });

  it("keeps whitespace between tokens and drops stray control characters there", () => {
    expect(parseLenientJson('\uFEFF{\n\t"a":\u0002 "x\u0007y"\r\n}')).toEqual({ a: "x\u0007y" });
  });

  it("keeps escaped quotes and backslashes intact while escaping", () => {
    expect(parseLenientJson('{"a":"q\\"\u0003\\\\"}')).toEqual({ a: 'q"\u0003\\' });
  });
});

describe("replies that are not a JSON envelope (docs/zhibang-protocol.md §8)", () => {
  const iisPage =
    "<!DOCTYPE html><html><head><title>500 - 内部服务器错误。</title></head><body><h1>服务器错误</h1><p>联系 13800138000</p></body></html>";

  it("an IIS/ASP HTML error page → ErpServerError with a short masked excerpt", () => {
    const error = thrown(() => parseErpReply(iisPage, { operation: "list", httpStatus: 500 })) as ErpServerError;
    expect(error).toBeInstanceOf(ErpServerError);
    expect(error.html).toBe(true);
    expect(error.httpStatus).toBe(500);
    expect(error.excerpt).toContain("500 - 内部服务器错误");
    expect(error.excerpt).toContain("138****8000");
    expect(error.excerpt).not.toContain("13800138000");
    expect(error.excerpt.length).toBeLessThanOrEqual(161);
    expect(error.retryable).toBe(true);
  });

  it("an HTML page with status 200 is still a server error", () => {
    const error = thrown(() => parseErpReply("<html><body>登录</body></html>", ok)) as ErpServerError;
    expect(error).toBeInstanceOf(ErpServerError);
    expect(error.message).toContain("HTML");
  });

  it("an empty body → ErpProtocolError, retryable", () => {
    const error = thrown(() => parseErpReply("  ", ok)) as ErpProtocolError;
    expect(error).toBeInstanceOf(ErpProtocolError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("empty");
  });

  it("truncated JSON → ErpProtocolError with the excerpt", () => {
    const error = thrown(() =>
      parseErpReply('{"header":{"status":0,"message":"ok"},"body":{"model":"sou', ok),
    ) as ErpProtocolError;
    expect(error).toBeInstanceOf(ErpProtocolError);
    expect(error.message).toContain("truncated");
    expect(error.excerpt).toContain('"header"');
  });

  it("plain text → ErpProtocolError", () => {
    expect(thrown(() => parseErpReply("Service Unavailable", ok))).toBeInstanceOf(ErpProtocolError);
  });

  it("HTTP 500 with a JSON envelope → ErpServerError carrying the ERP's message", () => {
    const error = thrown(() =>
      parseErpReply('{"header":{"status":"11","message":"服务程序发生错误: 除数为零"}}', { operation: "save", httpStatus: 500 }),
    );
    expect(error).toBeInstanceOf(ErpServerError);
    expect((error as Error).message).toContain("除数为零");
  });

  it("HTTP 404 and IIS's 找不到对应处理程序 → not retryable", () => {
    const a = thrown(() => parseErpReply("Not Found", { operation: "login", httpStatus: 404 })) as ErpServerError;
    const b = thrown(() => parseErpReply("mobilephone/salesmanage/contract/blist.asp找不到对应处理程序", ok)) as ErpServerError;
    for (const error of [a, b]) {
      expect(error).toBeInstanceOf(ErpServerError);
      expect(error.retryable).toBe(false);
    }
  });

  it("a JSON value that is not an object, and an object with neither header nor Code", () => {
    expect(thrown(() => parseErpReply("[1,2]", ok))).toBeInstanceOf(ErpProtocolError);
    expect(thrown(() => parseErpReply('{"hello":"world"}', ok))).toBeInstanceOf(ErpProtocolError);
  });
});

describe("v3 webapi replies (docs/zhibang-protocol.md §6)", () => {
  it.each([
    ['{"Code":200,"Msg":"成功"}', 200, "成功"],
    ['{"Code":"300","Msg":"客户名称不能为空"}', 300, "客户名称不能为空"],
    ['{"Code":400,"Msg":"token验证失败"}', 400, "token验证失败"],
    ['{"Page":{"PageCount":1},"Cols":[],"Rows":[]}', 200, ""],
  ])("%s", (text, code, msg) => {
    const reply = parseErpReply(text, ok);
    expect(reply).toMatchObject({ family: "v3", code, msg });
  });

  it("a v3 reply where a ZBDocument was expected is a protocol error", () => {
    expect(thrown(() => asZsml(parseErpReply('{"Code":200,"Msg":"ok"}', ok), "list"))).toBeInstanceOf(ErpProtocolError);
  });
});

describe("SourceClass tables: rows zipped by cols[].id (docs/zhibang-protocol.md §3.6, §5.4)", () => {
  const cols = '[{"id":"name","dbtype":"varchar"},{"id":"catename"},{"id":"mobile"},{"id":"ord"}]';
  const page = '{"recordcount":"239","pagesize":20,"pagecount":12,"pageindex":1}';
  const table = (rows: string, c = cols) =>
    readTable(
      zsml(
        `{"header":{"status":0},"body":{"model":"source","source":{"type_":"table","table":{"page":${page},"cols":${c},"rows":${rows}}}}}`,
      ),
      "list",
    );

  it("array rows", () => {
    const t = table('[["上海明达机械有限公司","张销售","13911112222","572"]]');
    expect(t.records).toEqual([{ name: "上海明达机械有限公司", catename: "张销售", mobile: "13911112222", ord: "572" }]);
    expect(t.page).toEqual({ recordcount: 239, pagesize: 20, pagecount: 12, pageindex: 1 });
  });

  it("reordered columns (checktype=radio moves ord) still give the same record", () => {
    const reordered = '[{"id":"ord"},{"id":"mobile"},{"id":"name"},{"id":"catename"}]';
    const t = table('[["572","13911112222","上海明达机械有限公司","张销售"]]', reordered);
    expect(t.records[0]).toEqual({ name: "上海明达机械有限公司", catename: "张销售", mobile: "13911112222", ord: "572" });
  });

  it("{value:[…], ord} row objects (PY2)", () => {
    const t = table('[{"value":["甲公司","","13800000000",""],"ord":"7"},{"value":["乙公司","李","",8]}]');
    expect(t.records).toEqual([
      { name: "甲公司", catename: "", mobile: "13800000000", ord: "7" },
      { name: "乙公司", catename: "李", mobile: "", ord: "8" },
    ]);
  });

  it("a single row object instead of a list", () => {
    expect(table('{"value":["丙公司","王","13700000000","9"]}').records).toEqual([
      { name: "丙公司", catename: "王", mobile: "13700000000", ord: "9" },
    ]);
  });

  it("numbers and nulls as text; short rows padded; no rows", () => {
    expect(table('[["丁", null, 13600000000]]').records).toEqual([{ name: "丁", catename: "", mobile: "13600000000", ord: "" }]);
    expect(table("null").records).toEqual([]);
    expect(table("[]").records).toEqual([]);
  });

  it("a message where a table was expected: a refusal text becomes ErpValidationError", () => {
    const reply = zsml('{"header":{"status":0},"body":{"model":"message","message":{"text":"您没有查看客户的权限，无权访问"}}}');
    const error = thrown(() => readTable(reply, "list")) as ErpValidationError;
    expect(error).toBeInstanceOf(ErpValidationError);
    expect(error.erpMessage).toBe("您没有查看客户的权限，无权访问");
  });
});

describe("BillClass: fields by id, value else text (docs/zhibang-protocol.md §3.5, §5.1, §5.3)", () => {
  const bill = (groups: string, value = '"1001"') =>
    readBill(
      zsml(
        `{"header":{"status":0,"session":"s"},"body":{"model":"bill","bill":{"id":"tel","value":${value},"caption":"客户","groups":${groups}}}}`,
      ),
      "detail",
    );

  it("reads allocate's new ord and khid by field id, not position", () => {
    const b = bill(
      '[{"id":"g0","fields":[{"id":"name","text":""},{"id":"pym","text":""},{"id":"khid","text":"KH0099","value":""}]}]',
      "1001",
    );
    expect(b.value).toBe("1001");
    expect(b.fields.khid).toBe("KH0099");
  });

  it("an enum field stores its value (id); its text is the label", () => {
    const b = bill(
      '[{"fields":[{"id":"ly","text":"网站注册","value":"171"},{"id":"jz","text":"较高","value":289},{"id":"name","text":"明达","value":null}]}]',
    );
    expect(b.fields).toEqual({ ly: "171", jz: "289", name: "明达" });
    expect(b.texts.ly).toBe("网站注册");
  });

  it("fields spread over several groups; a single group object; a numeric bill.value", () => {
    expect(bill('[{"fields":[{"id":"name","text":"A"}]},{"fields":[{"id":"mobile","value":"13900000000"}]}]').fields).toEqual({
      name: "A",
      mobile: "13900000000",
    });
    expect(bill('{"fields":{"id":"name","text":"B"}}', "42")).toMatchObject({ value: "42", fields: { name: "B" } });
  });
});

describe("MessageClass after a write (docs/zhibang-protocol.md §3.4)", () => {
  const message = (text: string) =>
    zsml(
      `{"header":{"status":0,"message":"ok","session":"s"},"body":{"model":"message","message":{"title":"","text":${JSON.stringify(text)}}}}`,
    );

  it.each([
    "合同编号已被使用，不能保存！",
    "缺少对象: 'bill.AddTool(...)'",
    "客户名称不能为空",
    "保存失败",
    "fail",
    "您无权修改该客户",
  ])("%s → ErpValidationError with the exact text", (text) => {
    const error = thrown(() => expectAcceptedMessage(message(text), "save")) as ErpValidationError;
    expect(error).toBeInstanceOf(ErpValidationError);
    expect(error.erpMessage).toBe(text);
    expect(error.retryable).toBe(false);
  });

  it.each(["保存成功", "success", "ok", "", "操作完成"])("%s is accepted", (text) => {
    expect(expectAcceptedMessage(message(text), "save").text).toBe(text);
  });

  it("a bill where a message was expected is a protocol error naming the model", () => {
    const reply = zsml('{"header":{"status":0},"body":{"model":"bill","bill":{"value":"1"}}}');
    expect((thrown(() => expectAcceptedMessage(reply, "save")) as Error).message).toContain('"bill"');
  });
});
