/**
 * Leaderboard windows, in UTC: all time, the calendar month, and the ISO week (Monday to
 * Sunday). A total belongs to the window that contains the moment its points were awarded.
 */

export const LEADERBOARD_PERIODS = ['ALL_TIME', 'MONTH', 'WEEK'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

const EPOCH = new Date(Date.UTC(1970, 0, 1));

/** The UTC start of the window of `period` that contains `at` (1970-01-01 for all time). */
export function periodStart(period: LeaderboardPeriod, at: Date): Date {
  if (period === 'ALL_TIME') return EPOCH;
  if (period === 'MONTH') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  // ISO weeks start on Monday: getUTCDay() is 0 on Sunday.
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - sinceMonday));
}

/** The UTC end (exclusive) of the window of `period` that contains `at`; null for all time. */
export function periodEnd(period: LeaderboardPeriod, at: Date): Date | null {
  const start = periodStart(period, at);
  if (period === 'ALL_TIME') return null;
  if (period === 'MONTH') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + 7 * 24 * 3_600_000);
}
