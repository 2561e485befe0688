import Holidays from 'date-holidays';
import type { Jurisdiction } from '@omnigate/contracts';

/**
 * Business days per jurisdiction: Monday to Friday, except the country's public holidays and the
 * days its banks close (date-holidays types `public` and `bank`, e.g. 24 and 31 December in
 * Germany). National holidays only: regional ones (a German Land, a Spanish comunidad) are not
 * counted. Dates are local calendar dates 'YYYY-MM-DD' in the jurisdiction's time zone.
 */
export const JURISDICTION_TIME_ZONES: Record<Jurisdiction, string> = {
  IT: 'Europe/Rome',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  ES: 'Europe/Madrid',
  // The bank's US operations are assumed on Eastern time: one zone per jurisdiction.
  US: 'America/New_York',
};

const CLOSED_TYPES = new Set(['public', 'bank']);
const DAY_MS = 86_400_000;

const calendars = new Map<Jurisdiction, Holidays>();
const closedDays = new Map<string, ReadonlySet<string>>();

/** The holidays on which the jurisdiction's banks are closed in a year ('YYYY-MM-DD'). */
export function closedHolidays(jurisdiction: Jurisdiction, year: number): ReadonlySet<string> {
  const key = `${jurisdiction}:${year}`;
  let days = closedDays.get(key);
  if (!days) {
    let hd = calendars.get(jurisdiction);
    if (!hd) {
      hd = new Holidays(jurisdiction);
      calendars.set(jurisdiction, hd);
    }
    days = new Set(
      hd
        .getHolidays(year)
        .filter((h) => CLOSED_TYPES.has(h.type))
        .map((h) => h.date.slice(0, 10)),
    );
    closedDays.set(key, days);
  }
  return days;
}

export function isBusinessDay(jurisdiction: Jurisdiction, date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !closedHolidays(jurisdiction, Number(date.slice(0, 4))).has(date);
}

export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The n-th business day after `date` (not counting `date` itself). */
export function addBusinessDays(jurisdiction: Jurisdiction, date: string, n: number): string {
  let day = date;
  for (let counted = 0; counted < n;) {
    day = addCalendarDays(day, 1);
    if (isBusinessDay(jurisdiction, day)) counted += 1;
  }
  return day;
}

/** Business days d with from < d ≤ to; 0 when `to` is not after `from`. */
export function businessDaysBetween(jurisdiction: Jurisdiction, from: string, to: string): number {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (isBusinessDay(jurisdiction, day)) count += 1;
  }
  return count;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, f);
  }
  return f.format(instant);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The last millisecond of a local calendar date (23:59:59.999 on the zone's wall clock). */
export function endOfLocalDay(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T23:59:59.999Z`);
  const first = wall - zoneOffsetMs(wall, timeZone);
  // A second pass lands on the right side of a DST change that the first guess crossed.
  return new Date(wall - zoneOffsetMs(first, timeZone));
}
