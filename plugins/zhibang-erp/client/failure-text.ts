/**
 * Is a MessageClass text a refusal? (docs/zhibang-protocol.md §3.4, §8)
 * A failed save comes back with `header.status` 0, `body.model` "message" and the reason in
 * `body.message.text` (`合同编号已被使用，不能保存！`, `缺少对象: 'bill.AddTool(...)'`). The success
 * text is UNKNOWN, so we look for failure words; a text without them is accepted, and the
 * write is confirmed by reading it back where it matters (createCustomer).
 */

const FAILURE_WORDS =
  /不能|不可|无法|失败|错误|出错|异常|不存在|为空|不得为空|必填|必须|无权|没有权限|权限不足|已被使用|已存在|重复|缺少|无效|非法|不正确|不合法|超出|超过|不允许|禁止|拒绝|fail|error|invalid|denied|exception|not allowed|not found|required/i;

export type MessageVerdict = "failure" | "success" | "unknown";

export function judgeMessageText(text: string): MessageVerdict {
  const trimmed = text.trim();
  if (FAILURE_WORDS.test(trimmed)) return "failure";
  if (/成功|完成|success|^ok$|^true$/i.test(trimmed)) return "success";
  return "unknown";
}

export function looksLikeFailure(text: string): boolean {
  return judgeMessageText(text) === "failure";
}

/** A detail reply for an ord that is not there (or not any more). */
export function looksLikeNotFound(text: string): boolean {
  return /不存在|没有找到|未找到|找不到|已删除|已被删除|not found|no such/i.test(text);
}
