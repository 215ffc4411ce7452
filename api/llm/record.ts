/**
 * The one recorder of LLM calls: every `LlmCall` (the coach's, the rubric scorer's) becomes an
 * LlmInteraction row, the instructors' record, flagged when its output was withheld.
 */
import type { LlmPurpose, Prisma } from '../generated/prisma/client.js';
import type { LlmCall } from './client.js';

/** Whom and what the calls were for. */
export interface InteractionOwner {
  purpose: LlmPurpose;
  userId: string;
  organizationId: string | null;
  attemptId: string | null;
  /** The coach turn the calls wrote, if any. */
  turnId?: string | null;
}

/** The LlmInteraction rows of `calls`, in order. */
function interactionRows(calls: readonly LlmCall[], owner: InteractionOwner): Prisma.LlmInteractionCreateManyInput[] {
  return calls.map((call) => ({
    ...owner,
    model: call.model,
    prompt: call.prompt,
    response: call.response,
    tokensIn: call.tokensIn,
    tokensOut: call.tokensOut,
    latencyMs: Math.round(call.latencyMs),
    stopReason: call.stopReason,
    error: call.error,
    flagged: call.flagReason !== null,
    flagReason: call.flagReason,
  }));
}

/** Stores `calls` as LlmInteractions, in the caller's transaction when given one. */
export async function recordInteractions(
  db: Pick<Prisma.TransactionClient, 'llmInteraction'>,
  calls: readonly LlmCall[],
  owner: InteractionOwner,
): Promise<void> {
  if (calls.length === 0) return;
  await db.llmInteraction.createMany({ data: interactionRows(calls, owner) });
}
