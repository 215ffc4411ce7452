/**
 * The model coach: one structured call per turn on the shared LLM client, forced to the
 * `coach_reply` tool, its `message` streamed to the student as it arrives. The client's retry
 * policy runs under the turn's deadline; the guard (guard.ts) decides what is shown.
 */
import type { LlmClient } from '../llm/client.js';
import type { CoachModel } from './model.js';
import { COACH_TOOL, coachPrompt } from './prompt.js';

export interface LlmCoachOptions {
  /** Calls per turn, the first included. */
  maxCalls: number;
  /** Longest a turn may take, retries and waits included. */
  deadlineMs: number;
  /** Longest the upstream may stay silent before the call is cut. */
  idleTimeoutMs: number;
  /** Output budget per call. Default 1 024. */
  maxTokens?: number;
}

/** The coach on `client`; its default model is the client's (an assignment may name another). */
export function createLlmCoach(client: LlmClient, options: LlmCoachOptions): CoachModel {
  return {
    name: client.model,
    builtin: false,
    async reply(context, sink, signal) {
      const { output, calls } = await client.structured({
        model: context.model || client.model,
        ...coachPrompt(context),
        tool: COACH_TOOL,
        maxTokens: options.maxTokens ?? 1_024,
        limits: { maxAttempts: options.maxCalls, deadlineMs: options.deadlineMs, idleTimeoutMs: options.idleTimeoutMs },
        stream: { field: 'message', text: (text, call) => sink.text(text, call) },
        signal,
      });
      // Valid or not, the guard has the last word (evidence, leaks, policy) and fails closed.
      return { output: output.value, calls };
    },
  };
}
