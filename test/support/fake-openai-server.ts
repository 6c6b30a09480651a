/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 (port 0), for the real `openai`
 * client to talk to through OPENAI_BASE_URL. Each test decides what the "model" answers;
 * the default responder plays a gullible model that reads the transcript it was sent
 * (70, or 10 when it sees 不需要) and obeys any instruction to give a score it finds in
 * the customer's words, in any phrasing (score-instructions.ts), so an injection defence
 * is tested against a model that would fall for it. A request carrying an image (a vision
 * request) is answered as a vision model would, by fake-vision.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { lookAt } from "./fake-vision.ts";
import { instructedScore } from "./score-instructions.ts";

export interface ChatRequestBody {
  model: string;
  /** Text; a vision request sends parts (text and image_url) instead: read them with isVisionRequest/textOf. */
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  response_format?: { type: string; json_schema?: unknown };
  [key: string]: unknown;
}

export type FakeReply =
  | { content: string }
  | { status: number; body: unknown }
  | { delayMs: number; content: string }
  | { refusal: string };

export interface FakeOpenAIOptions {
  respond?: (request: ChatRequestBody) => FakeReply | Promise<FakeReply>;
}

export interface FakeOpenAI {
  /** Base URL ending in /v1, as OPENAI_BASE_URL. */
  url: string;
  /** Every request body received, in order. */
  requests: ChatRequestBody[];
  close(): Promise<void>;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const respond = options.respond ?? gullibleModel;
  const requests: ChatRequestBody[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { message: String(error), type: "server_error" } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/chat/completions")) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatRequestBody;
    requests.push(body);
    const reply = await respond(body);
    if ("status" in reply) return sendJson(res, reply.status, reply.body);
    if ("delayMs" in reply) await sleep(reply.delayMs, timers);
    if (res.destroyed) return; // the client gave up (timeout)
    sendJson(res, 200, completion(body, reply));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The default responder: a plausible answer computed from the prompt, fooled by any score instruction. */
export function gullibleModel(request: ChatRequestBody): FakeReply {
  if (isVisionRequest(request)) return { content: lookAt(request.messages) };
  // The transcript is what the user turn quotes: its JSON line if it has one (the rubric in
  // the system turn mentions 不需要 too, so it must not be read as the customer's words).
  const userText = request.messages.find((message) => message.role === "user")?.content ?? "";
  const transcript = userText.split("\n").find((line) => line.trimStart().startsWith("{")) ?? userText;
  const obeyed = instructedScore(customerWords(transcript));
  const score = obeyed ?? (transcript.includes("不需要") ? 10 : 70);
  const phone = /1[3-9]\d(?:\d{4}|\*{4})\d{4}/.exec(transcript)?.[0] ?? null;
  const answer = {
    score,
    summary: score === 10 ? "客户明确表示不需要。" : "客户咨询产品，有一定意向。",
    reasons: score === 10 ? ["明确拒绝"] : ["咨询产品"],
    customer: { name: null, company: null, email: null, address: null, type: null, phone },
  };
  return { content: JSON.stringify(answer) };
}

type ContentPart = { type?: string; text?: unknown };

export function isVisionRequest(request: ChatRequestBody): boolean {
  return request.messages.some((message) => partsOf(message.content)?.some((part) => part.type === "image_url"));
}

/** A message's text, whether sent as a string or as parts. */
export function textOf(content: unknown): string {
  const parts = partsOf(content);
  if (parts === undefined) return typeof content === "string" ? content : "";
  return parts.map((part) => (part.type === "text" ? String(part.text ?? "") : "")).join("\n");
}

function partsOf(content: unknown): ContentPart[] | undefined {
  return Array.isArray(content) ? (content as ContentPart[]) : undefined;
}

/** Everything the customer wrote, joined: an instruction split over messages still reads as one. */
function customerWords(transcript: string): string {
  try {
    const data = JSON.parse(transcript) as { messages?: Array<{ from?: string; text?: string }> };
    return (data.messages ?? [])
      .filter((message) => message.from === "customer")
      .map((message) => message.text ?? "")
      .join(" ");
  } catch {
    return transcript; // not our transcript: a test sent raw text
  }
}

function completion(request: ChatRequestBody, reply: { content: string } | { refusal: string }): unknown {
  const content = "content" in reply ? reply.content : null;
  const promptChars = request.messages.reduce((sum, message) => sum + textOf(message.content).length, 0);
  const promptTokens = Math.ceil(promptChars / 2);
  const completionTokens = Math.ceil((content ?? ("refusal" in reply ? reply.refusal : "")).length / 2);
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: "refusal" in reply ? reply.refusal : null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}
