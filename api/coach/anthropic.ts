/**
 * The Anthropic coach: one streamed, forced `coach_reply` tool call per turn through the
 * SDK's Messages streaming. The reply's `message` streams out as its JSON arrives. Calls
 * that fail (429, 529, 5xx, silence past the idle timeout, a stream cut mid-answer) are
 * retried a bounded number of times, honouring retry-after, within the turn's deadline.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { JsonObject, LlmCall } from '../evaluation/llm.js';
import {
  type CoachFailureReason,
  type CoachModel,
  CoachModelError,
  type CoachModelResult,
  type CoachStreamSink,
} from './model.js';
import { type CoachContext, coachPrompt } from './prompt.js';

export interface AnthropicCoachOptions {
  apiKey: string;
  /** Default model; an assignment may name another (CoachContext.model). */
  model: string;
  baseURL?: string;
  /** Calls per turn, the first included. */
  maxCalls: number;
  /** Longest a turn may take, retries and waits included. */
  deadlineMs: number;
  /** Longest the upstream may stay silent before the call is cut. */
  idleTimeoutMs: number;
  maxTokens?: number;
}

/** How one call ended when it did not produce output. */
interface CallFailure {
  reason: CoachFailureReason;
  retryable: boolean;
  /** What the provider asked us to wait, when it said. */
  retryAfterMs: number | null;
  description: string;
}

/**
 * The value so far of the top-level string field `field` of a JSON object cut off anywhere
 * (a streamed tool input): the decoded characters that have arrived, or null before it starts.
 */
export function partialStringField(json: string, field: string): string | null {
  let depth = 0;
  let i = 0;
  const readString = (): { value: string; complete: boolean } => {
    // json[i] is the opening quote.
    let value = '';
    i++;
    while (i < json.length) {
      const char = json[i] as string;
      if (char === '"') {
        i++;
        return { value, complete: true };
      }
      if (char !== '\\') {
        value += char;
        i++;
        continue;
      }
      const next = json[i + 1];
      if (next === undefined) break;
      if (next === 'u') {
        const hex = json.slice(i + 2, i + 6);
        if (hex.length < 4) break;
        value += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
        continue;
      }
      value += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[next] ?? next;
      i += 2;
    }
    return { value, complete: false };
  };
  while (i < json.length) {
    const char = json[i] as string;
    if (char === '"') {
      const start = depth;
      const key = readString();
      if (!key.complete) return null;
      if (start !== 1) continue;
      const colon = /^\s*:\s*/.exec(json.slice(i));
      if (!colon) continue; // a value, not a key
      i += colon[0].length;
      if (key.value === field) return json[i] === '"' ? readString().value : null;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    i++;
  }
  return null;
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

function classify(
  error: unknown,
  state: { connected: boolean; timedOut: boolean; pastDeadline: boolean },
): CallFailure {
  if (state.pastDeadline) {
    return { reason: 'DEADLINE_EXCEEDED', retryable: false, retryAfterMs: null, description: 'turn deadline passed' };
  }
  if (state.timedOut) {
    return {
      reason: 'UPSTREAM_TIMEOUT',
      retryable: true,
      retryAfterMs: null,
      description: state.connected ? 'the stream went silent' : 'no response',
    };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const status = error.status;
    const reason: CoachFailureReason =
      status === 429 ? 'UPSTREAM_RATE_LIMITED' : status === 529 ? 'UPSTREAM_OVERLOADED' : 'UPSTREAM_ERROR';
    return {
      reason,
      retryable: status === 408 || status === 409 || status === 429 || status >= 500,
      retryAfterMs: retryAfterMs(error.headers),
      description: `HTTP ${status}: ${error.message}`,
    };
  }
  if (error instanceof Anthropic.APIError && /overloaded/i.test(error.message)) {
    // An `overloaded_error` event inside the stream.
    return { reason: 'UPSTREAM_OVERLOADED', retryable: true, retryAfterMs: null, description: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return state.connected
    ? { reason: 'UPSTREAM_STREAM_CUT', retryable: true, retryAfterMs: null, description: `stream cut: ${message}` }
    : { reason: 'UPSTREAM_ERROR', retryable: true, retryAfterMs: null, description: `connection failed: ${message}` };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function createAnthropicCoach(options: AnthropicCoachOptions): CoachModel {
  // Retries are ours: the SDK's would restart streams we already showed and hide the calls.
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: options.deadlineMs,
  });
  const maxTokens = options.maxTokens ?? 1_024;

  return {
    name: options.model,
    builtin: false,
    async reply(context: CoachContext, sink: CoachStreamSink, signal: AbortSignal): Promise<CoachModelResult> {
      const deadline = Date.now() + options.deadlineMs;
      const model = context.model || options.model;
      const body = { model, max_tokens: maxTokens, ...coachPrompt(context) };
      const prompt = JSON.parse(JSON.stringify({ ...body, model: undefined })) as JsonObject;
      const calls: LlmCall[] = [];

      const callOnce = async (index: number): Promise<{ output: unknown } | { failure: CallFailure }> => {
        const controller = new AbortController();
        const state = { connected: false, timedOut: false, pastDeadline: false };
        const record: LlmCall = {
          model,
          prompt,
          response: '',
          tokensIn: 0,
          tokensOut: 0,
          latencyMs: 0,
          stopReason: null,
          error: null,
        };
        calls.push(record);
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          clearTimeout(timer);
          const left = deadline - Date.now();
          // Which limit this timer stands for is decided now: timers may fire a little early.
          const byDeadline = left <= options.idleTimeoutMs;
          timer = setTimeout(
            () => {
              if (byDeadline) state.pastDeadline = true;
              else state.timedOut = true;
              controller.abort();
            },
            Math.max(0, Math.min(options.idleTimeoutMs, left)),
          );
        };
        const cancel = () => controller.abort();
        signal.addEventListener('abort', cancel, { once: true });
        const started = performance.now();
        let raw = '';
        try {
          arm();
          const stream = await client.messages.create({ ...body, stream: true }, { signal: controller.signal });
          state.connected = true;
          arm();
          for await (const event of stream) {
            arm();
            if (event.type === 'message_start') {
              record.model = event.message.model || model;
              record.tokensIn = event.message.usage.input_tokens;
              record.tokensOut = event.message.usage.output_tokens;
            } else if (event.type === 'message_delta') {
              record.stopReason = event.delta.stop_reason;
              record.tokensOut = event.usage.output_tokens;
              if (typeof event.usage.input_tokens === 'number') record.tokensIn = event.usage.input_tokens;
            } else if (event.type === 'content_block_delta') {
              const delta =
                event.delta.type === 'input_json_delta'
                  ? event.delta.partial_json
                  : event.delta.type === 'text_delta'
                    ? event.delta.text
                    : '';
              if (!delta) continue;
              raw += delta;
              record.response = raw;
              const text = partialStringField(raw.trimStart().replace(/^```(?:json)?\s*/i, ''), 'message');
              if (text) sink.text(text, index);
            }
          }
          if (record.stopReason === null) throw new Error('the stream ended before the message did');
        } catch (error) {
          if (signal.aborted) {
            record.error = 'interrupted';
            return {
              failure: { reason: 'INTERRUPTED', retryable: false, retryAfterMs: null, description: 'interrupted' },
            };
          }
          const failure = classify(error, state);
          record.error = `upstream ${failure.description}`;
          return { failure };
        } finally {
          clearTimeout(timer);
          signal.removeEventListener('abort', cancel);
          record.latencyMs = Math.round(performance.now() - started);
        }
        const unfenced = raw
          .trim()
          .replace(/^```(?:json)?\s*/i, '')
          .replace(/\s*```$/, '');
        try {
          return { output: JSON.parse(unfenced) as unknown };
        } catch {
          return { output: undefined };
        }
      };

      for (let index = 0; ; index++) {
        const outcome = await callOnce(index);
        if ('output' in outcome) return { output: outcome.output, calls };
        const { failure } = outcome;
        if (!failure.retryable || calls.length >= options.maxCalls) {
          throw new CoachModelError(failure.reason, `The coach model failed: ${failure.description}`, calls);
        }
        const wait = failure.retryAfterMs ?? 250 * 2 ** index;
        if (Date.now() + wait >= deadline) {
          throw new CoachModelError(
            failure.reason,
            `The coach model failed (${failure.description}) and waiting ${Math.ceil(wait / 1000)} s to retry would pass the turn's deadline`,
            calls,
          );
        }
        await sleep(wait, signal);
        if (signal.aborted) throw new CoachModelError('INTERRUPTED', 'The coach turn was interrupted', calls);
      }
    },
  };
}
