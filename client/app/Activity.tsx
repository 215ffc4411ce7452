/**
 * An activity calendar: one square per day of the last weeks, a column per week (Monday on top),
 * shaded by the submissions evaluated that day, in the learner's time zone. Plain markup, no
 * chart library: it draws with the page.
 */
import { shortDay } from './ui.js';

/** One active day, as `User.dailyActivity` returns it. */
export interface ActivityDay {
  day: string;
  submissions: number;
  solved: number;
  points: number;
}

/** Weeks the calendar shows; `User.dailyActivity(days:)` must reach this far (7 × weeks days). */
export const CALENDAR_WEEKS = 20;

/** Submissions from which a day takes each shade (0: none). */
const LEVELS = [1, 2, 4, 7] as const;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Today's date (YYYY-MM-DD) in `timeZone`: the learner's days, as the API counts them. */
export function localToday(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      now,
    );
  } catch {
    // An unknown zone: the browser's own day.
    return new Intl.DateTimeFormat('en-CA').format(now);
  }
}

const level = (submissions: number) => LEVELS.filter((from) => submissions >= from).length;
const WEEKDAYS = ['Mon', '', 'Wed', '', 'Fri', '', ''];

function dayText(day: string, activity: ActivityDay | undefined): string {
  if (!activity) return `${shortDay(day)}: no activity`;
  const parts = [`${activity.submissions} ${activity.submissions === 1 ? 'submission' : 'submissions'}`];
  if (activity.solved > 0) parts.push(`${activity.solved} solved`);
  if (activity.points > 0) parts.push(`${activity.points} points`);
  return `${shortDay(day)}: ${parts.join(', ')}`;
}

export function ActivityCalendar({ days, today }: { days: readonly ActivityDay[]; today: string }) {
  const byDay = new Map(days.map((d) => [d.day, d]));
  // The last column is this week, Monday first.
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const start = addDays(today, -weekday - 7 * (CALENDAR_WEEKS - 1));
  const weeks = Array.from({ length: CALENDAR_WEEKS }, (_, w) =>
    Array.from({ length: 7 }, (_, d) => addDays(start, w * 7 + d)),
  );
  const shown = days.filter((d) => d.day >= start && d.day <= today);
  const submissions = shown.reduce((sum, d) => sum + d.submissions, 0);
  const solved = shown.reduce((sum, d) => sum + d.solved, 0);
  const summary = `${shown.length} active ${shown.length === 1 ? 'day' : 'days'} in the last ${CALENDAR_WEEKS} weeks: ${submissions} ${submissions === 1 ? 'submission' : 'submissions'}, ${solved} solved`;
  return (
    <figure className="chart activity">
      <div className="calendar" role="img" aria-label={`Activity calendar. ${summary}.`}>
        <div className="calendar-weekdays" aria-hidden="true">
          {WEEKDAYS.map((name, i) => (
            <span key={i}>{name}</span>
          ))}
        </div>
        {weeks.map((week) => {
          const first = week[0] ?? start;
          // A month's name over the week its first day falls in.
          const monthStart = week.find((day) => day.endsWith('-01'));
          return (
            <div className="calendar-week" key={first}>
              <span className="calendar-month" aria-hidden="true">
                {monthStart
                  ? new Date(`${monthStart}T00:00:00Z`).toLocaleDateString(undefined, {
                      month: 'short',
                      timeZone: 'UTC',
                    })
                  : ''}
              </span>
              {week.map((day) => {
                const activity = byDay.get(day);
                const future = day > today;
                return (
                  <span
                    key={day}
                    className={`calendar-day level-${future ? 'none' : level(activity?.submissions ?? 0)}`}
                    title={future ? undefined : dayText(day, activity)}
                  />
                );
              })}
            </div>
          );
        })}
      </div>
      <figcaption className="meta">
        <span>{summary}.</span>
        <span className="calendar-legend" aria-hidden="true">
          Less
          {[0, 1, 2, 3, 4].map((shade) => (
            <span key={shade} className={`calendar-day level-${shade}`} />
          ))}
          More
        </span>
      </figcaption>
      {shown.length > 0 && (
        <details>
          <summary>Active days</summary>
          <ul aria-label="Active days">
            {[...shown].reverse().map((d) => (
              <li key={d.day}>{dayText(d.day, d)}</li>
            ))}
          </ul>
        </details>
      )}
    </figure>
  );
}
