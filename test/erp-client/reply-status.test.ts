import { describe, expect, it } from "vitest";
import { customerDatas } from "../../plugins/zhibang-erp/client/customer-fields.ts";
import { foldName } from "../../plugins/zhibang-erp/client/customer-find.ts";
import { parseErpReply } from "../../plugins/zhibang-erp/client/envelope.ts";
import {
  ErpAuthError,
  ErpNetworkError,
  ErpProtocolError,
  ErpServerError,
  ErpSessionError,
  ErpTimeoutError,
  ErpValidationError,
  requestMayHaveReachedErp,
} from "../../plugins/zhibang-erp/client/errors.ts";
import { explainErpError } from "../../plugins/zhibang-erp/client/explain-error.ts";
import { judgeMessageText } from "../../plugins/zhibang-erp/client/failure-text.ts";
import { clip } from "../../plugins/zhibang-erp/client/followup.ts";
import { readLoginReply } from "../../plugins/zhibang-erp/client/login.ts";
import { assertReplyOk, isSessionExpiredReply } from "../../plugins/zhibang-erp/client/reply-status.ts";
import { thrown } from "../support/thrown.ts";

const read = (text: string) => parseErpReply(text, { operation: "list", httpStatus: 200 });
const header = (status: number | string, message: string) => read(JSON.stringify({ header: { status, message } }));

describe("session expiry (docs/zhibang-protocol.md §4.3)", () => {
  it.each([
    "非法访问，未登录系统。",
    "会话非法",
    "会话无效,数据异常。",
    "请求异常，被挂起。",
    "您的账号已在其它移动设备上登录，请您重新登录。",
    "您的账号已在电脑上登录，请您重新登录。",
    "您的账号已经下线退出。",
    "会话超时，请您重新登录。",
    "会话已失效,UniqueLogin队列中无记录。",
    "会话已失效,未知原因 result=3",
  ])("status 1 + %s → session expired", (message) => {
    const reply = header(1, message);
    expect(isSessionExpiredReply(reply)).toBe(true);
    const error = thrown(() => assertReplyOk(reply, "list")) as ErpSessionError;
    expect(error).toBeInstanceOf(ErpSessionError);
    expect(error.erpMessage).toBe(message);
  });

  it("any non-zero status with a session message counts, the string status too", () => {
    expect(isSessionExpiredReply(header("2", "会话超时，请您重新登录。"))).toBe(true);
  });

  it("status 1 without any message is the vendor JS's timeout", () => {
    expect(isSessionExpiredReply(header(1, ""))).toBe(true);
  });

  it("v3 Code 400 is the token failure; 300 is a refusal with the Msg", () => {
    expect(isSessionExpiredReply(read('{"Code":400,"Msg":"token验证失败"}'))).toBe(true);
    const refused = thrown(() =>
      assertReplyOk(read('{"Code":300,"Msg":"客户名称不能为空"}'), "customerEdit"),
    ) as ErpValidationError;
    expect(refused).toBeInstanceOf(ErpValidationError);
    expect(refused.erpMessage).toBe("客户名称不能为空");
    expect(thrown(() => assertReplyOk(read('{"Code":500,"Msg":"内部错误"}'), "customerEdit"))).toBeInstanceOf(ErpServerError);
    expect(thrown(() => assertReplyOk(read('{"Code":250,"Msg":"?"}'), "customerEdit"))).toBeInstanceOf(ErpProtocolError);
  });

  it('the crash template (status "11") is a retryable server error; other refusals are not', () => {
    const crash = thrown(() =>
      assertReplyOk(header("11", "服务程序发生错误: 错误描述：对象不支持此属性"), "save"),
    ) as ErpServerError;
    expect(crash).toBeInstanceOf(ErpServerError);
    expect(crash.retryable).toBe(true);
    const other = thrown(() => assertReplyOk(header(5, "参数不完整"), "save")) as ErpServerError;
    expect(other.retryable).toBe(false);
    expect(other.message).toContain("参数不完整");
  });

  it("status 0 passes", () => {
    expect(assertReplyOk(header(0, "ok"), "list").family).toBe("zsml");
  });
});

describe("login replies (docs/zhibang-protocol.md §3.7, §4.1)", () => {
  const login = (doc: unknown) => readLoginReply(read(JSON.stringify(doc)), "/webapi/v3/ov1/login");

  it("status 0 with header.session; ratebit is the session timeout", () => {
    const result = login({
      header: { status: 0, message: "ok", session: "TOKEN", appversion: "32.17" },
      body: { model: "init", action: "sys", sys: { info: { ratebit: 1800 } } },
    });
    expect(result).toEqual({ token: "TOKEN", path: "/webapi/v3/ov1/login", sessionTimeoutSeconds: 1800, appVersion: "32.17" });
  });

  it("non-zero status → ErpAuthError with the ERP's reason and what to fix", () => {
    const error = thrown(() => login({ header: { status: 1, message: "用户名或密码错误" } })) as ErpAuthError;
    expect(error).toBeInstanceOf(ErpAuthError);
    expect(error.erpMessage).toBe("用户名或密码错误");
    expect(error.message).toBe(
      "the ERP refused the username or password (用户名或密码错误): check WXERP_ERP_USERNAME and WXERP_ERP_PASSWORD",
    );
    expect(error.retryable).toBe(false);
  });

  it("status 0 with body.action fail (the other style) is a refusal too, reason from body.fail", () => {
    const error = thrown(() =>
      login({
        header: { status: 0, message: "" },
        body: { model: "init", action: "fail", fail: { message: "密码错误", newrndcode: "" } },
      }),
    ) as ErpAuthError;
    expect(error.erpMessage).toBe("密码错误");
    expect(error.captchaRequired).toBe(false);
  });

  it("a captcha demand says so", () => {
    const error = thrown(() =>
      login({
        header: { status: 1, message: "请输入验证码" },
        body: { action: "fail", fail: { message: "请输入验证码", newrndcode: "/sysa/mobilephone/getyzm.asp" } },
      }),
    ) as ErpAuthError;
    expect(error.captchaRequired).toBe(true);
    expect(error.message).toContain("captcha");
  });

  it("accepted without any token → protocol error", () => {
    expect(
      thrown(() => login({ header: { status: 0, message: "ok" }, body: { model: "init", action: "sys", sys: {} } })),
    ).toBeInstanceOf(ErpProtocolError);
  });
});

describe("failure texts (docs/zhibang-protocol.md §3.4: the success text is UNKNOWN)", () => {
  it.each([
    ["合同编号已被使用，不能保存！", "failure"],
    ["客户编号已存在", "failure"],
    ["必填项为空", "failure"],
    ["Error: object required", "failure"],
    ["保存成功", "success"],
    ["success", "success"],
    ["已保存", "unknown"],
    ["", "unknown"],
  ])("%s → %s", (text, verdict) => {
    expect(judgeMessageText(text)).toBe(verdict);
  });
});

describe("which failures may have applied a write", () => {
  it.each([
    ["connection refused", new ErpNetworkError("x", { operation: "followup", code: "ECONNREFUSED" }), false],
    ["connection reset", new ErpNetworkError("x", { operation: "followup", code: "ECONNRESET" }), true],
    ["timeout", new ErpTimeoutError("x", { operation: "followup", timeoutMs: 1 }), true],
    ["HTTP 500", new ErpServerError("x", { operation: "followup", httpStatus: 500, excerpt: "" }), true],
    ["session expired", new ErpSessionError("x", { operation: "followup", erpMessage: "会话超时" }), false],
    ["refused by validation", new ErpValidationError("x", { operation: "followup", erpMessage: "不能为空" }), false],
  ])("%s → may have applied: %s", (_label, error, reached) => {
    expect(requestMayHaveReachedErp(error)).toBe(reached);
  });
});

describe("small helpers", () => {
  it("customer datas: ERP field ids, person_name only for company customers, extras kept", () => {
    const company = customerDatas({
      ord: "9",
      intsort: 1,
      name: "明达",
      sort1: "17,146",
      ly: 171,
      personName: "陈明",
      mobile: "13911112222",
      extra: { zdy1: "x" },
    });
    expect(company).toEqual({
      ord: "9",
      name: "明达",
      sort1: "17,146",
      ly: "171",
      person_name: "陈明",
      mobile: "13911112222",
      zdy1: "x",
    });
    const personal = customerDatas({ ord: "10", intsort: 2, name: "张三", sort1: "17,146", personName: "张三" });
    expect(personal).not.toHaveProperty("person_name");
  });

  it("clip keeps Chinese characters whole and marks the cut", () => {
    expect(clip("一二三四五", 3)).toBe("一二…");
    expect(clip("短", 3)).toBe("短");
  });

  it("foldName folds full-width characters and trims", () => {
    expect(foldName(" （上海）明达ＡＢＣ ")).toBe("(上海)明达ABC");
  });
});

describe("one sentence per failure (erp check, chat replies)", () => {
  const url = "http://erp.example:8080";
  it.each([
    [
      new ErpNetworkError("x", { operation: "login", code: "ECONNREFUSED" }),
      `cannot reach the ERP at ${url}: connection refused`,
    ],
    [
      new ErpNetworkError("x", { operation: "login", code: "ENOTFOUND" }),
      `cannot reach the ERP at ${url}: the host name does not resolve`,
    ],
    [
      new ErpTimeoutError("x", { operation: "login", timeoutMs: 15000 }),
      `the ERP at ${url} did not answer within 15000 ms: check the network, or raise erp.timeoutMs`,
    ],
    [
      new ErpServerError("x", { operation: "login", httpStatus: 200, excerpt: "", html: true }),
      "the ERP answered with an HTML page instead of JSON: is WXERP_ERP_BASE_URL the ERP's root?",
    ],
    [
      new ErpServerError("x", { operation: "login", httpStatus: 404, excerpt: "" }),
      `the ERP at ${url} has no such page (HTTP 404): is WXERP_ERP_BASE_URL the ERP's root?`,
    ],
  ])("%#", (error, sentence) => {
    expect(explainErpError(error, url)).toBe(sentence);
  });
});
