/**
 * A user's local day, computed once (api/rewards/local-day.ts) for streaks, daily activity and
 * the coach's daily budget: the same days and midnights as PostgreSQL's `AT TIME ZONE`.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, localDay, localDayStart } from '../api/rewards/local-day.js';
import { currentStreak } from '../api/rewards/streak.js';

const db = new PGlite();
afterAll(() => db.close());

// Ordinary zones, half-hour and 45-minute offsets, the date line, and clocks that skip midnight (Santiago).
const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'America/Santiago',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
];

describe('local day', () => {
  it.each(ZONES)('matches PostgreSQL in %s: the day, its start and the next day’s start', async (timeZone) => {
    // Every 5 h 13 min over two years: every hour of the day, and the clock changes.
    const instants: string[] = [];
    for (let at = Date.UTC(2024, 0, 1); at < Date.UTC(2026, 0, 1); at += 313 * 60_000) {
      instants.push(new Date(at).toISOString());
    }
    const { rows } = await db.query<{ at: Date; day: string; start: Date; next: Date }>(
      `SELECT t AS "at", to_char((t AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS "day",
              date_trunc('day', t AT TIME ZONE $1) AT TIME ZONE $1 AS "start",
              (date_trunc('day', t AT TIME ZONE $1) + interval '1 day') AT TIME ZONE $1 AS "next"
       FROM unnest($2::timestamptz[]) t`,
      [timeZone, instants],
    );
    const ours = rows.map(({ at }) => {
      const day = localDay(timeZone, at);
      return { at, day, start: localDayStart(timeZone, day), next: localDayStart(timeZone, addDays(day, 1)) };
    });
    expect(ours).toEqual(rows);
  });

  it('starts a day whose midnight the clocks skip at its first instant', () => {
    // Santiago, 2024-09-08: 00:00 (UTC-4) became 01:00 (UTC-3).
    expect(localDayStart('America/Santiago', '2024-09-08').toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(localDay('America/Santiago', new Date('2024-09-08T03:59:59Z'))).toBe('2024-09-07');
  });

  it('counts calendar days across clock changes', () => {
    expect(addDays('2024-03-31', -1)).toBe('2024-03-30');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });

  it('keeps a streak whose last day is yesterday in the user’s zone, even the day after a short day', () => {
    // Paris, 2024-03-31 had 23 hours: at 00:30 on April 1, 24 hours ago was still March 30 there.
    const user = { currentStreak: 3, lastActiveOn: new Date('2024-03-31T00:00:00Z'), timeZone: 'Europe/Paris' };
    expect(currentStreak(user, new Date('2024-03-31T12:00:00Z'))).toBe(3);
    expect(currentStreak(user, new Date('2024-03-31T22:30:00Z'))).toBe(3);
    expect(currentStreak(user, new Date('2024-04-01T22:30:00Z'))).toBe(0);
  });
});
