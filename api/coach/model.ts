/**
 * The coach-model port: writes one coach turn's structured output for a context, reporting
 * the visible text as it streams. Two adapters: the model coach (a streamed tool call on the
 * shared LLM client, llm-coach.ts) and the deterministic built-in coach (builtin.ts).
 */
import { LLM_FAILURE_REASONS, type LlmCall } from '../llm/client.js';
import type { CoachContext } from './prompt.js';

/** Why a turn could not be written (CoachTurnFailed.reason): the LLM client's reasons, or a fault of ours. */
export const COACH_FAILURE_REASONS = [...LLM_FAILURE_REASONS, 'INTERNAL_ERROR'] as const;
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
  /** Throws `LlmUpstreamError` (with every call made) when no call produced output. */
  reply(context: CoachContext, sink: CoachStreamSink, signal: AbortSignal): Promise<CoachModelResult>;
}
