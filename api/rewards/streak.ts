/**
 * Daily activity and streaks, in the user's local day: the day's counts, the streak as runs
 * of consecutive active days, and the streak as it stands now (0 once a day was missed).
 */
import type { Prisma } from '../generated/prisma/client.js';
import { addDays, localDay } from './local-day.js';

/**
 * Adds a submission made `at` to the user's activity on their local day of `at`, and
 * recomputes their streaks; returns the current streak. Locks the user's row first, so one
 * user's completions take their turn here and each sees the days the others recorded (a run
 * finishing late may fill in an earlier day).
 */
export async function recordActiveDay(
  tx: Prisma.TransactionClient,
  user: { id: string; timeZone: string },
  at: Date,
  earned: { solved: boolean; points: number },
): Promise<number> {
  // (NO KEY UPDATE: the ledger rows inserted before this hold KEY SHARE on it, which this must not wait for.)
  await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${user.id}::uuid FOR NO KEY UPDATE`;
  const day = localDay(user.timeZone, at);
  await tx.$executeRaw`
    INSERT INTO "DailyActivity" ("id", "userId", "day", "submissions", "solved", "points")
    VALUES (gen_random_uuid(), ${user.id}::uuid, ${day}::date, 1, ${earned.solved ? 1 : 0}, ${earned.points})
    ON CONFLICT ("userId", "day") DO UPDATE SET
      "submissions" = "DailyActivity"."submissions" + 1,
      "solved" = "DailyActivity"."solved" + EXCLUDED."solved",
      "points" = "DailyActivity"."points" + EXCLUDED."points"`;
  // Streaks from the active days themselves: runs of consecutive days ("islands"); the current
  // streak is the run ending on the last active day. A day recorded late joins its neighbours.
  const [streak] = await tx.$queryRaw<{ currentStreak: number }[]>`
    WITH islands AS (
      SELECT COUNT(*)::int AS "length", MAX(d."day") AS "ends"
      FROM (
        SELECT "day", "day" - (ROW_NUMBER() OVER (ORDER BY "day"))::int AS "island"
        FROM "DailyActivity" WHERE "userId" = ${user.id}::uuid
      ) d
      GROUP BY d."island"
    )
    UPDATE "User" SET
      "currentStreak" = (SELECT "length" FROM islands ORDER BY "ends" DESC LIMIT 1),
      "longestStreak" = GREATEST("longestStreak", (SELECT MAX("length") FROM islands)),
      "lastActiveOn" = (SELECT MAX("ends") FROM islands)
    WHERE "id" = ${user.id}::uuid
    RETURNING "currentStreak"`;
  return streak?.currentStreak ?? 0;
}

/** The user's streak as it stands at `now`: the stored one while its last day is today or yesterday (local), else 0. */
export function currentStreak(
  user: { currentStreak: number; lastActiveOn: Date | null; timeZone: string },
  now = new Date(),
): number {
  const last = user.lastActiveOn?.toISOString().slice(0, 10);
  const today = localDay(user.timeZone, now);
  return last && (last === today || last === addDays(today, -1)) ? user.currentStreak : 0;
}
