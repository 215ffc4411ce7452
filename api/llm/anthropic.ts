/**
 * The one Anthropic adapter of the LLM client: each request is a forced tool call streamed
 * through the SDK's `messages.stream()`, its input validated with the tool's zod schema. The
 * one retry policy lives here: bounded attempts, retry-after honoured, an idle timeout and a
 * deadline per call; every attempt is recorded as an `LlmCall`.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import {
  issueList,
  type LlmCall,
  type LlmClient,
  type LlmFailureReason,
  type LlmLimits,
  LlmUpstreamError,
  type StructuredOutput,
  type StructuredRequest,
} from './client.js';
import { partialStringField, toJson, unfence } from './json.js';

export interface AnthropicClientOptions {
  apiKey: string;
  /** The default model; a request may name another. */
  model: string;
  /** Defaults to the SDK's (the public API). */
  baseURL?: string;
}

/** The Anthropic client when ANTHROPIC_API_KEY is set, else null (the built-in coach and scorer answer). */
export function anthropicClientFromEnv(env: {
  ANTHROPIC_API_KEY?: string | undefined;
  ANTHROPIC_MODEL: string;
  ANTHROPIC_BASE_URL?: string | undefined;
}): LlmClient | null {
  if (!env.ANTHROPIC_API_KEY) return null;
  return createAnthropicClient({
    apiKey: env.ANTHROPIC_API_KEY,
    model: env.ANTHROPIC_MODEL,
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
  });
}

/** How one attempt ended when it produced no output. */
interface Failure {
  reason: LlmFailureReason;
  retryable: boolean;
  status: number | null;
  requestId: string | null;
  /** What the provider asked us to wait, when it said. */
  retryAfterMs: number | null;
  description: string;
  cause?: unknown;
}

/** What the attempt's timers and the caller's signal say happened, when the stream was aborted. */
interface AttemptState {
  connected: boolean;
  timedOut: boolean;
  pastDeadline: boolean;
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = headers?.get('retry-after');
  if (!header) return null;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** The error mapping: what failed, and whether the retry policy may try again. */
function classify(error: unknown, state: AttemptState): Failure {
  const base = { status: null, requestId: null, retryAfterMs: null, cause: error };
  if (state.pastDeadline) {
    return { ...base, reason: 'DEADLINE_EXCEEDED', retryable: false, description: 'deadline passed' };
  }
  if (state.timedOut) {
    const description = `timed out: ${state.connected ? 'the stream went silent' : 'no response'}`;
    return { ...base, reason: 'UPSTREAM_TIMEOUT', retryable: true, description };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const status = error.status;
    return {
      ...base,
      reason: status === 429 ? 'UPSTREAM_RATE_LIMITED' : status === 529 ? 'UPSTREAM_OVERLOADED' : 'UPSTREAM_ERROR',
      retryable: status === 408 || status === 409 || status === 429 || status >= 500,
      status,
      requestId: error.requestID ?? null,
      retryAfterMs: retryAfterMs(error.headers),
      description: `HTTP ${status}: ${error.apiMessage ?? error.message}`,
    };
  }
  if (error instanceof Anthropic.APIError && (error.type === 'overloaded_error' || /overloaded/i.test(error.message))) {
    // An `overloaded_error` event inside the stream.
    return { ...base, reason: 'UPSTREAM_OVERLOADED', retryable: true, description: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return state.connected
    ? { ...base, reason: 'UPSTREAM_STREAM_CUT', retryable: true, description: `stream cut: ${message}` }
    : { ...base, reason: 'UPSTREAM_ERROR', retryable: true, description: `connection failed: ${message}` };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The tool's JSON Schema, from the input side of its zod schema. */
function inputSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' });
  if (json.type !== 'object') throw new Error('a tool input schema must describe an object');
  return { ...json, type: 'object' };
}

/** An attempt that produced a reply: the final message, or null when the tool input was not JSON. */
interface Reply {
  message: Anthropic.Message | null;
  raw: string;
}

/** The tool input (else a JSON text reply), validated; `max_tokens` is named when it cut the reply. */
function readOutput<Schema extends z.ZodType>(
  reply: Reply,
  tool: StructuredRequest<Schema>['tool'],
): StructuredOutput<z.output<Schema>> {
  const { message } = reply;
  const toolUse = message?.content.find(
    (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use' && block.name === tool.name,
  );
  let value: unknown;
  let issues: string[] = [];
  if (toolUse) value = toolUse.input;
  else if (!message) issues = [`the ${tool.name} input is not JSON`];
  else {
    // Tolerated: a JSON-only text reply, maybe in a ```json fence.
    try {
      value = JSON.parse(unfence(reply.raw)) as unknown;
    } catch {
      issues = [`no ${tool.name} call and the text is not JSON`];
    }
  }
  if (!issues.length) {
    const parsed = tool.schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data as z.output<Schema> };
    issues = issueList(parsed.error);
  }
  if (message?.stop_reason === 'max_tokens') issues.unshift('output truncated at max_tokens');
  return { ok: false, value, issues };
}

/** The assistant's turn replayed, then the correction: a corrective retry shows the model its mistakes. */
function correction(reply: Reply, issues: string[], hint: string): Anthropic.MessageParam[] {
  const replayed: Anthropic.ContentBlockParam[] = [];
  for (const block of reply.message?.content ?? []) {
    if (block.type === 'text' && block.text) replayed.push({ type: 'text', text: block.text });
    if (block.type === 'tool_use')
      replayed.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
  }
  const text = `That output was invalid: ${issues.join('; ')}. ${hint}`;
  const toolUse = reply.message?.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
  return [
    { role: 'assistant', content: replayed.length ? replayed : [{ type: 'text', text: reply.raw || '(empty reply)' }] },
    {
      role: 'user',
      content: toolUse
        ? [{ type: 'tool_result', tool_use_id: toolUse.id, is_error: true, content: text }]
        : [{ type: 'text', text }],
    },
  ];
}

/** What every attempt of one structured call shares. */
interface CallContext {
  sdk: Anthropic;
  model: string;
  limits: LlmLimits;
  /** When the whole call must end (Date.now() time). */
  deadline: number;
  signal: AbortSignal | undefined;
  stream: StructuredRequest<z.ZodType>['stream'];
  /** Every attempt's record so far, oldest first. */
  calls: LlmCall[];
}

const INTERRUPTED: Failure = {
  reason: 'INTERRUPTED',
  retryable: false,
  status: null,
  requestId: null,
  retryAfterMs: null,
  description: 'interrupted',
};

/**
 * One streamed attempt, recorded in `ctx.calls` before it starts. It is cut after
 * `idleTimeoutMs` of silence or at the deadline; the tool input's streamed field goes to
 * `ctx.stream` as it grows.
 */
async function streamOnce(
  ctx: CallContext,
  body: Anthropic.MessageCreateParamsNonStreaming,
): Promise<{ reply: Reply } | { failure: Failure }> {
  const { limits, signal } = ctx;
  const index = ctx.calls.length;
  const record: LlmCall = {
    model: ctx.model,
    prompt: toJson({ ...body, model: undefined }),
    response: '',
    tokensIn: 0,
    tokensOut: 0,
    latencyMs: 0,
    stopReason: null,
    error: null,
    flagReason: null,
  };
  ctx.calls.push(record);
  const controller = new AbortController();
  const state: AttemptState = { connected: false, timedOut: false, pastDeadline: false };
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const left = ctx.deadline - Date.now();
    // Which limit this timer stands for is decided now: timers may fire a little early.
    const byDeadline = left <= limits.idleTimeoutMs;
    timer = setTimeout(
      () => {
        if (byDeadline) state.pastDeadline = true;
        else state.timedOut = true;
        controller.abort();
      },
      Math.max(0, Math.min(limits.idleTimeoutMs, left)),
    );
  };
  const cancel = () => controller.abort();
  signal?.addEventListener('abort', cancel, { once: true });
  const started = performance.now();
  let text = '';
  let toolJson: string | null = null;
  try {
    arm();
    const stream = ctx.sdk.messages.stream(body, { signal: controller.signal });
    stream.on('connect', () => {
      state.connected = true;
      arm();
    });
    stream.on('streamEvent', (event) => {
      arm();
      if (event.type === 'message_start') {
        record.model = event.message.model || ctx.model;
        record.tokensIn = event.message.usage.input_tokens;
        record.tokensOut = event.message.usage.output_tokens;
      } else if (event.type === 'message_delta') {
        record.stopReason = event.delta.stop_reason;
        record.tokensOut = event.usage.output_tokens;
        if (typeof event.usage.input_tokens === 'number') record.tokensIn = event.usage.input_tokens;
      } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        toolJson ??= '';
      } else if (event.type === 'content_block_delta') {
        if (event.delta.type === 'input_json_delta') toolJson = (toolJson ?? '') + event.delta.partial_json;
        else if (event.delta.type === 'text_delta') text += event.delta.text;
        else return;
        // The tool input is the output; text is, only when the model answered without the tool.
        record.response = toolJson ?? text;
        // The SDK's own snapshot of a streaming tool input drops unfinished strings: read the field here.
        const shown = ctx.stream && partialStringField(unfence(record.response, true), ctx.stream.field);
        if (shown) ctx.stream?.text(shown, index);
      }
    });
    return { reply: { message: await stream.finalMessage(), raw: record.response } };
  } catch (error) {
    if (signal?.aborted) {
      record.error = 'interrupted';
      return { failure: INTERRUPTED };
    }
    // The SDK fails the stream when a tool input it accumulated is not JSON: the model's output is invalid.
    if (toolJson !== null && error instanceof Anthropic.AnthropicError && error.cause instanceof SyntaxError) {
      return { reply: { message: null, raw: record.response } };
    }
    const failure = classify(error, state);
    record.error = `upstream ${failure.description}`;
    // Output that broke off is kept for the instructors' record, withheld from the student.
    if (record.response) record.flagReason = `INCOMPLETE: ${record.error}`;
    return { failure };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
    record.latencyMs = Math.round(performance.now() - started);
  }
}

/**
 * The one retry policy: an attempt that failed retryably (429, 529, 5xx, 408, 409, silence, a
 * cut stream) is tried again after retry-after (else 250 ms, doubling), up to `maxAttempts`,
 * unless the wait would pass the deadline. Throws LlmUpstreamError when no attempt replied.
 */
async function send(ctx: CallContext, body: Anthropic.MessageCreateParamsNonStreaming, tool: string): Promise<Reply> {
  for (let tries = 1; ; tries++) {
    const outcome = await streamOnce(ctx, body);
    if ('reply' in outcome) return outcome.reply;
    const { failure } = outcome;
    const fail = (message: string) =>
      new LlmUpstreamError(failure.reason, message, failure.status, failure.retryable, failure.requestId, ctx.calls, {
        cause: failure.cause,
      });
    if (!failure.retryable || tries >= ctx.limits.maxAttempts) {
      throw fail(`The ${tool} call failed (${failure.description})`);
    }
    const wait = failure.retryAfterMs ?? 250 * 2 ** (tries - 1);
    if (Date.now() + wait >= ctx.deadline) {
      throw fail(
        `The ${tool} call failed (${failure.description}) and waiting ${Math.ceil(wait / 1000)} s to retry would pass its deadline`,
      );
    }
    await sleep(wait, ctx.signal);
    if (ctx.signal?.aborted) {
      throw new LlmUpstreamError('INTERRUPTED', `The ${tool} call was interrupted`, null, false, null, ctx.calls);
    }
  }
}

/** The LLM client on Anthropic's Messages API. */
export function createAnthropicClient(options: AnthropicClientOptions): LlmClient {
  // Retries are ours: the SDK's would restart streams already shown and hide the attempts.
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
  });

  return {
    provider: 'anthropic',
    model: options.model,
    async structured(request) {
      const ctx: CallContext = {
        sdk,
        model: request.model || options.model,
        limits: request.limits,
        deadline: Date.now() + request.limits.deadlineMs,
        signal: request.signal,
        stream: request.stream,
        calls: [],
      };
      const tool: Anthropic.Tool = {
        name: request.tool.name,
        description: request.tool.description,
        input_schema: inputSchema(request.tool.schema),
      };
      const messages: Anthropic.MessageParam[] = [...request.messages];
      for (let repairs = 0; ; repairs++) {
        const body = {
          model: ctx.model,
          max_tokens: request.maxTokens,
          system: request.system,
          tools: [tool],
          tool_choice: { type: 'tool' as const, name: tool.name },
          messages: [...messages],
        };
        const reply = await send(ctx, body, tool.name);
        const output = readOutput(reply, request.tool);
        const result = { output, raw: reply.raw, calls: ctx.calls };
        if (output.ok) return result;
        const last = ctx.calls.at(-1);
        if (last) {
          last.error = `invalid output: ${output.issues.join('; ')}`;
          last.flagReason = `INVALID_OUTPUT: ${output.issues.join('; ')}`;
        }
        if (!request.repair || repairs >= request.repair.attempts) return result;
        messages.push(...correction(reply, output.issues, request.repair.hint));
      }
    },
  };
}
