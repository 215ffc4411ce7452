/**
 * The LLM client port, shared by the coach, the rubric scorer and (next) the curriculum
 * planner: one "structured call" (a prompt and a tool whose input is a zod schema, answered by
 * a forced tool call, validated), the record of every call (`LlmCall`) and its failures.
 */
import type { z } from 'zod';

/** A JSON value, as stored in a Json column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One HTTP request to the model and its outcome: what is stored as an LlmInteraction. */
export interface LlmCall {
  /** Model that answered (or was asked, when the call failed). */
  model: string;
  /** The request body sent to the provider (system prompt, messages, tools), without the model. */
  prompt: JsonObject;
  /** The raw output (the tool input's JSON, else the text), as far as it arrived; empty when none did. */
  response: string;
  tokensIn: number;
  tokensOut: number;
  /** From the request to the last token (or the failure). */
  latencyMs: number;
  stopReason: string | null;
  /** Why the call failed (`upstream …`, `invalid output: …`, `interrupted`); null when it produced valid output. */
  error: string | null;
  /**
   * Why its output is withheld from the student (`INVALID_OUTPUT: …`, `INCOMPLETE: …`, or the
   * caller's own reason such as the coach guard's); null when shown or when there was none.
   */
  flagReason: string | null;
}

/** Why a call could not produce output; the coach's failure reasons extend these. */
export const LLM_FAILURE_REASONS = [
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_OVERLOADED',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_STREAM_CUT',
  'UPSTREAM_ERROR',
  'DEADLINE_EXCEEDED',
  'INTERRUPTED',
] as const;
export type LlmFailureReason = (typeof LLM_FAILURE_REASONS)[number];

/** Base of the client's failures; `calls` are every call made, to be stored as LlmInteractions. */
export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    message: string,
    readonly calls: LlmCall[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The one upstream error: every attempt failed (after the bounded retries), the deadline passed, or the caller aborted. */
export class LlmUpstreamError extends LlmError {
  override name = 'LlmUpstreamError';
  constructor(
    readonly reason: LlmFailureReason,
    message: string,
    /** HTTP status of the last attempt; null for a connection failure, timeout or abort. */
    readonly status: number | null,
    /** Whether trying again later may succeed (429, 5xx, 408, 409, connection errors, timeouts). */
    readonly retryable: boolean,
    readonly requestId: string | null,
    calls: LlmCall[],
    options?: { cause?: unknown },
  ) {
    super(message, calls, options);
  }
}

/** The model's output was still invalid after the corrective retries a caller allowed. */
export class LlmOutputError extends LlmError {
  override name = 'LlmOutputError';
  constructor(
    /** The last raw response. */
    readonly rawResponse: string,
    /** What was wrong with it (e.g. `scores.2.score: exceeds maxScore 5`). */
    readonly issues: string[],
    calls: LlmCall[],
  ) {
    super(`The model returned invalid output: ${issues.join('; ')}`, calls);
  }
}

/** A tool the model is made to call: its input schema is the zod schema's JSON Schema (input side). */
export interface LlmTool<Schema extends z.ZodType> {
  name: string;
  description: string;
  schema: Schema;
}

/** A message of the conversation sent; student text in it is fenced by the caller. */
export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string | { type: 'text'; text: string }[];
}

/** The one retry policy's bounds for one structured call. */
export interface LlmLimits {
  /** HTTP attempts per request, the first included (429, 529, 5xx, timeouts and cut streams are retried). */
  maxAttempts: number;
  /** Longest the whole call may take, retries, waits and corrective retries included. */
  deadlineMs: number;
  /** Longest the upstream may stay silent (before the headers or between events) before the attempt is cut. */
  idleTimeoutMs: number;
}

export interface StructuredRequest<Schema extends z.ZodType> {
  /** Defaults to the client's model. */
  model?: string;
  system: string;
  messages: LlmMessage[];
  tool: LlmTool<Schema>;
  maxTokens: number;
  limits: LlmLimits;
  /**
   * Streams the value so far of the tool input's top-level string `field` as it arrives:
   * `text` is the whole visible text of call number `call` (0-based, counting retries).
   */
  stream?: { field: string; text(text: string, call: number): void };
  /** Corrective retries on invalid output, showing the model what was wrong; `hint` says what to do. Default none. */
  repair?: { attempts: number; hint: string };
  /** Aborting it ends the call with `INTERRUPTED`. */
  signal?: AbortSignal;
}

/** The tool input, validated: the schema's output, or what was wrong with the input (`value` when it parsed). */
export type StructuredOutput<T> = { ok: true; value: T } | { ok: false; value: unknown; issues: string[] };

export interface StructuredResult<T> {
  output: StructuredOutput<T>;
  /** The raw response of the last call. */
  raw: string;
  /** Every call made, oldest first; the last produced `output`. */
  calls: LlmCall[];
}

/** A model provider behind the one structured call. */
export interface LlmClient {
  /** e.g. `anthropic`. */
  readonly provider: string;
  /** The default model. */
  readonly model: string;
  /** Calls the model, forced to answer with `tool`; throws `LlmUpstreamError` when no attempt produced output. */
  structured<Schema extends z.ZodType>(request: StructuredRequest<Schema>): Promise<StructuredResult<z.output<Schema>>>;
}

/** zod issues as `path: message` lines. */
export function issueList(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
  );
}
