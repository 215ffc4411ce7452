/**
 * A user's local day, in their IANA `timeZone`: the day streaks and daily activity are counted
 * in, and the day the coach's token budget renews. Computed here and nowhere else.
 */

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function cached(formats: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = make()));
  return format;
}

/** The local date (YYYY-MM-DD) in `timeZone` at `at`. */
export function localDay(timeZone: string, at: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(at);
}

/** The date `days` after `day` (both YYYY-MM-DD; `days` below 0 for before): calendar days, whatever the clocks do. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How far `timeZone`'s clocks are ahead of UTC at `at` (ms since the epoch, whole seconds). */
function offsetMs(timeZone: string, at: number): number {
  const format = cached(
    clockFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  );
  const parts = new Map(format.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? 0;
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The first instant of `day` (YYYY-MM-DD) in `timeZone`. */
export function localDayStart(timeZone: string, day: string): Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  // The offset at midnight may not be the offset at the guess (clocks changed in between):
  // of the two readings, the earlier instant that falls on `day` is where it starts.
  const first = midnight - offsetMs(timeZone, midnight);
  const second = midnight - offsetMs(timeZone, first);
  const onDay = [first, second].filter((at) => localDay(timeZone, new Date(at)) === day);
  return new Date(onDay.length > 0 ? Math.min(...onDay) : first);
}
