/** How the adaptive-test pages word an estimate, a session's status and why it stopped. */
import type { AdaptiveSessionStatus } from '../gql/graphql.js';

/** θ with its standard error, e.g. `+0.42 ± 0.31`. */
export function estimateText({ theta, standardError }: { theta: number; standardError: number }): string {
  return `${signed(theta)} ± ${standardError.toFixed(2)}`;
}

/** A number with its sign, to two places: `+0.42`, `−1.10`, `0.00`. */
export function signed(value: number): string {
  const text = Math.abs(value).toFixed(2);
  if (text === '0.00') return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

/** `DYNAMIC_PROGRAMMING` → `Dynamic programming`. */
export const conceptLabel = (concept: string) =>
  concept.charAt(0) + concept.slice(1).toLowerCase().replaceAll('_', ' ');

const STATUS: Record<AdaptiveSessionStatus, string> = {
  ACTIVE: 'In progress',
  COMPLETED: 'Completed',
  EXPIRED: 'Expired',
  ABANDONED: 'Abandoned',
};

export const statusLabel = (status: AdaptiveSessionStatus) => STATUS[status];

/** Why a session stopped, in words (the API's `stopReason`). */
export function stopReasonText(
  reason: string | null | undefined,
  session: { maxQuestions: number; targetStandardError: number },
): string {
  switch (reason) {
    case 'STANDARD_ERROR':
      return `Your estimate reached the target precision (standard error at most ${session.targetStandardError.toFixed(2)}).`;
    case 'MAX_QUESTIONS':
      return `It reached its limit of ${session.maxQuestions} questions.`;
    case 'POOL_EXHAUSTED':
      return 'No question was left to ask.';
    case 'EXPIRED':
      return 'It expired after a long pause; your answers are kept.';
    case 'ABANDONED':
      return 'You ended it before it stopped; your answers are kept.';
    case null:
    case undefined:
      return 'It has not stopped yet.';
    default:
      return reason;
  }
}
