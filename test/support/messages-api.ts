/**
 * A local HTTP server speaking Anthropic's Messages API, scripted per test: JSON replies
 * (streamed as events when the request asks for `stream: true`, as the API does), SSE
 * streams (with pauses, a silent hang, or a cut mid-answer) and errors with retry-after. It
 * records every request so tests can assert what was sent upstream.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { disposeAfterFile } from './leftovers.js';

/** One step of a scripted SSE stream. */
export type StreamStep =
  | { event: string; data: Record<string, unknown> }
  | { delayMs: number }
  /** Waits until the promise settles (a test holds the stream mid-answer). */
  | { until: Promise<unknown> }
  /** Destroys the connection: the stream breaks off. */
  | { cut: true }
  /** Stops sending, keeping the connection open. */
  | { hang: true };

/** One scripted reply: JSON (status, headers, body, delay), a stream, or silence. */
export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { stream: StreamStep[] }
  | { hang: true };

/** What every Messages request carries; tests narrow it with their own body type. */
export interface MessagesBody {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system: string;
  tools: { name: string; input_schema: unknown }[];
  tool_choice: { type: string; name?: string };
  messages: {
    role: string;
    content: string | { type: string; text?: string; content?: string; is_error?: boolean }[];
  }[];
}

export interface RecordedRequest<Body = MessagesBody> {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Body;
  /** The body as sent. */
  raw: string;
  at: number;
}

export const TEST_MODEL = 'claude-test-model';
export const TEST_API_KEY = 'sk-ant-test-key-123';

/** A JSON error reply, as the API sends them. */
export function errorReply(status: number, type: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'request-id': `req_${status}`, ...headers },
    body: { type: 'error', error: { type, message: `scripted ${type}` } },
  };
}

export interface ToolStreamOptions {
  /** Characters of the JSON per input_json_delta. Default 12. */
  chunk?: number;
  /** Pause between deltas. Default 2 ms. */
  delayMs?: number;
  tokensIn?: number;
  tokensOut?: number;
  stopReason?: string;
  /** Steps inserted after this many deltas (a pause, a cut, a hang). */
  after?: { deltas: number; steps: StreamStep[] };
}

/** Text cut into deltas of `size` characters, each followed by a pause; `after` inserts steps after that many deltas. */
function deltaSteps(
  index: number,
  text: string,
  delta: (piece: string) => Record<string, unknown>,
  options: ToolStreamOptions,
): StreamStep[] {
  const size = options.chunk ?? 12;
  const steps: StreamStep[] = [];
  for (let at = 0, sent = 0; at < text.length; at += size, sent++) {
    if (options.after?.deltas === sent) steps.push(...options.after.steps);
    steps.push({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta: delta(text.slice(at, at + size)) },
    });
    steps.push({ delayMs: options.delayMs ?? 2 });
  }
  return steps;
}

/** The events of a streamed message around its content blocks' events, as the API sends them. */
function messageSteps(
  message: { id: string; model: string; stopReason: string; tokensIn: number; tokensOut: number },
  blocks: StreamStep[],
): StreamStep[] {
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id: message.id,
          type: 'message',
          role: 'assistant',
          model: message.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: message.tokensIn, output_tokens: 1 },
        },
      },
    },
    ...blocks,
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stopReason, stop_sequence: null },
        usage: { output_tokens: message.tokensOut },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}

/**
 * A streamed forced tool call whose input is `input` (an object, or raw text that may be
 * invalid JSON), cut into input_json_delta chunks, with usage and stop reason.
 */
export function toolStream(toolName: string, input: unknown, options: ToolStreamOptions = {}): Reply {
  const json = typeof input === 'string' ? input : JSON.stringify(input);
  return {
    stream: messageSteps(
      {
        id: 'msg_test_1',
        model: TEST_MODEL,
        stopReason: options.stopReason ?? 'tool_use',
        tokensIn: options.tokensIn ?? 1200,
        tokensOut: options.tokensOut ?? 180,
      },
      [
        {
          event: 'content_block_start',
          data: {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'tool_use', id: 'toolu_test_1', name: toolName, input: {} },
          },
        },
        { event: 'ping', data: { type: 'ping' } },
        ...deltaSteps(0, json, (piece) => ({ type: 'input_json_delta', partial_json: piece }), options),
        { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      ],
    ),
  };
}

/** A Messages API message body, as scripted in a JSON reply. */
interface MessageBody {
  type: 'message';
  id: string;
  model: string;
  content: ({ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown })[];
  stop_reason: string;
  usage: { input_tokens: number; output_tokens: number };
}

function isMessageBody(body: unknown): body is MessageBody {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'message';
}

/** What the API streams for `message` when the request asks for `stream: true`: its blocks as deltas. */
function messageStream(message: MessageBody): StreamStep[] {
  const blocks = message.content.flatMap((block, index): StreamStep[] => [
    {
      event: 'content_block_start',
      data: {
        type: 'content_block_start',
        index,
        content_block: block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} },
      },
    },
    ...(block.type === 'text'
      ? deltaSteps(index, block.text, (piece) => ({ type: 'text_delta', text: piece }), {})
      : deltaSteps(
          index,
          JSON.stringify(block.input),
          (piece) => ({ type: 'input_json_delta', partial_json: piece }),
          {},
        )),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ]);
  return messageSteps(
    {
      id: message.id,
      model: message.model,
      stopReason: message.stop_reason,
      tokensIn: message.usage.input_tokens,
      tokensOut: message.usage.output_tokens,
    },
    blocks,
  );
}

async function sendStream(res: ServerResponse, steps: StreamStep[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_stream' });
  for (const step of steps) {
    if (res.destroyed) return;
    if ('event' in step) res.write(`event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`);
    else if ('delayMs' in step) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    else if ('until' in step) await step.until.catch(() => undefined);
    else if ('cut' in step) {
      res.socket?.destroy();
      return;
    } else return; // hang: the connection stays open until the client gives up
  }
  res.end();
}

/** Starts the server for this test file; `script` sets the replies (the last one repeats) and clears the recorded requests. */
export async function startMessagesApi() {
  const requests: RecordedRequest[] = [];
  let replies: Reply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as MessagesBody;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, raw, at: Date.now() });
      const reply = replies[Math.min(requests.length, replies.length) - 1] ?? errorReply(500, 'api_error');
      if ('hang' in reply) return;
      if ('stream' in reply) {
        void sendStream(res, reply.stream);
        return;
      }
      const streamed = body.stream === true && (reply.status ?? 200) === 200;
      const send = () => {
        if (res.destroyed) return;
        // A streaming request gets a scripted message as the API would send it: as events.
        if (streamed && isMessageBody(reply.body)) {
          void sendStream(res, messageStream(reply.body));
          return;
        }
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? {}));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    script(next: Reply[]) {
      replies = next;
      requests.length = 0;
    },
    /** Stops the server; the end of the test file does it too (support/leftovers.ts). */
    stop: disposeAfterFile(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  };
}

export type MessagesApi = Awaited<ReturnType<typeof startMessagesApi>>;
