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

/**
 * Why a session stopped, in words (the API's `stopReason`), to the student (`own`) or to someone
 * reading their session.
 */
export function stopReasonText(
  reason: string | null | undefined,
  session: { maxQuestions: number; targetStandardError: number },
  own = true,
): string {
  switch (reason) {
    case 'STANDARD_ERROR':
      return `${own ? 'Your' : 'The'} estimate reached the target precision (standard error at most ${session.targetStandardError.toFixed(2)}).`;
    case 'MAX_QUESTIONS':
      return `It reached its limit of ${session.maxQuestions} questions.`;
    case 'POOL_EXHAUSTED':
      return 'No question was left to ask.';
    case 'EXPIRED':
      return `It expired after a long pause; ${own ? 'your' : 'the'} answers are kept.`;
    case 'ABANDONED':
      return own
        ? 'You ended it before it stopped; your answers are kept.'
        : 'The student ended it before it stopped; their answers are kept.';
    case null:
    case undefined:
      return 'It has not stopped yet.';
    default:
      return reason;
  }
}

/** Mastery (0 to 1) from which the pages show a concept as mastered: θ ≈ 0.85 on the API's mastery curve. */
export const MASTERY_THRESHOLD = 0.7;

/** The highest share of a pool's sessions a question is given to (the API's exposure control). */
export const EXPOSURE_CAP = 0.25;

/**
 * A question to review: its right answers hardly follow the examinees' θ (point-biserial below
 * 0.1, or negative: weak, or keyed to the wrong option), once enough answers make that more than noise.
 */
export const REVIEW = { pointBiserialBelow: 0.1, minResponses: 20 } as const;

export function needsReview(
  statistics: { pointBiserial: number | null; responses: number } | null | undefined,
): boolean {
  return (
    statistics != null &&
    statistics.pointBiserial != null &&
    statistics.responses >= REVIEW.minResponses &&
    statistics.pointBiserial < REVIEW.pointBiserialBelow
  );
}

/** A statistic to two places (a real minus sign for negatives), or '—' when there is none yet. */
export function figure(value: number | null | undefined): string {
  if (value == null) return '—';
  const text = Math.abs(value).toFixed(2);
  return value < 0 && text !== '0.00' ? `−${text}` : text;
}

/**
 * Item fit (RMSD) above which a calibrated question is flagged: its answers stray from its 2PL
 * curve (PISA flags 0.12; the API's description says "above about 0.1 deserves a look").
 */
export const POOR_FIT_RMSD = 0.1;
