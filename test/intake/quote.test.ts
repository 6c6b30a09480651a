import { describe, expect, it } from "vitest";
import { splitQuote } from "../../src/intake/quote.ts";

describe("splitQuote", () => {
  it("splits a quote reply as puppets render it into the reply and the quoted message", () => {
    const text = "「销售小王：我的手机 13987654321，有问题随时打给我」\n- - - - - - - - - - - - - - -\n好的，收到";
    expect(splitQuote(text)).toEqual({
      text: "好的，收到",
      quoted: { name: "销售小王", text: "我的手机 13987654321，有问题随时打给我" },
    });
  });

  it("keeps a multi-line quote and reply, CRLF line ends and a shorter separator", () => {
    const text = "「张三：第一行\r\n第二行」\r\n- - - - -\r\n回复一\r\n回复二";
    expect(splitQuote(text)).toEqual({ text: "回复一\n回复二", quoted: { name: "张三", text: "第一行\n第二行" } });
  });

  it("leaves text that only starts with 「 whole", () => {
    expect(splitQuote("「远航科技」是我们公司，电话 13800138000")).toEqual({ text: "「远航科技」是我们公司，电话 13800138000" });
    expect(splitQuote("「引用」\n不是分隔线\n内容").quoted).toBeUndefined();
  });

  it("reads a quoted image or file the way puppets name them", () => {
    expect(splitQuote("「李四：图片」\n- - - - - - - - - - - - - - -\n这张图里的型号")).toEqual({
      text: "这张图里的型号",
      quoted: { name: "李四", text: "图片" },
    });
  });
});
