/**
 * The coach-model port: writes one coach turn's structured output for a context, reporting
 * the visible text as it streams. Two adapters: Anthropic (streamed tool call, bounded
 * retries under a per-turn deadline) and the deterministic built-in coach.
 */
import type { LlmCall } from '../evaluation/llm.js';
import type { CoachContext } from './prompt.js';

/** Why a turn could not be written (CoachTurnFailed.reason). */
export const COACH_FAILURE_REASONS = [
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_OVERLOADED',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_STREAM_CUT',
  'UPSTREAM_ERROR',
  'DEADLINE_EXCEEDED',
  'INTERRUPTED',
  'INTERNAL_ERROR',
] as const;
export type CoachFailureReason = (typeof COACH_FAILURE_REASONS)[number];

/** What a model produced: the raw structured output and every call made to get it. */
export interface CoachModelResult {
  /** The reply's structured output (the tool input), unvalidated; undefined when there was none. */
  output: unknown;
  /** Every call made, oldest first; the last produced `output`. */
  calls: LlmCall[];
}

/** Receives the reply's visible text as it grows. */
export interface CoachStreamSink {
  /** `text` is the whole visible text of call number `call` (0-based) so far. */
  text(text: string, call: number): void;
}

/** A model that writes coach turns. */
export interface CoachModel {
  /** Stored as SocraticTurn.model: `builtin`, or the provider's model name. */
  readonly name: string;
  readonly builtin: boolean;
  reply(context: CoachContext, sink: CoachStreamSink, signal: AbortSignal): Promise<CoachModelResult>;
}

/** Every call failed (after the bounded retries) or the deadline passed. */
export class CoachModelError extends Error {
  override name = 'CoachModelError';
  constructor(
    readonly reason: CoachFailureReason,
    message: string,
    readonly calls: LlmCall[],
  ) {
    super(message);
  }
}
