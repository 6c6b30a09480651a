/**
 * A fake model for `scorer.maskPersonalData`: it answers with whatever placeholders (⟨姓名1⟩,
 * ⟨邮箱1⟩…) it was sent, the way a real model quotes them back, so a test can see that the
 * stored result has the originals again. Without placeholders it quotes nothing personal.
 */
import type { ChatRequestBody, FakeReply } from "./fake-openai-server.ts";

interface Transcript {
  contact?: { name?: string };
  messages?: Array<{ from?: string; text?: string }>;
}

export function placeholderModel(request: ChatRequestBody): FakeReply {
  const user = request.messages.find((message) => message.role === "user")?.content ?? "";
  const line = user.split("\n").find((text) => text.trimStart().startsWith("{")) ?? "{}";
  const transcript = JSON.parse(line) as Transcript;
  const said = (transcript.messages ?? [])
    .filter((message) => message.from === "customer")
    .map((message) => message.text ?? "")
    .join("\n");
  const first = (kind: string) => new RegExp(`⟨${kind}\\d+⟩`, "u").exec(said)?.[0] ?? null;
  const name = transcript.contact?.name?.startsWith("⟨") ? transcript.contact.name : null;
  const [company, email, address] = [first("公司"), first("邮箱"), first("地址")];
  const answer = {
    score: 80,
    summary: `客户${name ?? ""}${company ? `（${company}）` : ""}约谈合同；邮箱 ${email ?? "无"}，地址 ${address ?? "无"}。`,
    reasons: [`${name ?? "客户"}约见面`, "谈合同"],
    customer: { name, company, email, address, type: "company" },
  };
  return { content: JSON.stringify(answer) };
}
