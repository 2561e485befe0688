/**
 * Dates a customer mentions ("ieri", "yesterday", "3 giorni fa", "12/11", "12 novembre", "Nov 12",
 * "lunedì") as ISO dates (YYYY-MM-DD, UTC calendar) relative to `now`. A date without a year is the
 * most recent one not in the future: customers report what already happened. Pure.
 */

const DAY_MS = 86_400_000;

const MONTHS: Record<string, number> = {
  gennaio: 1, gen: 1, january: 1, jan: 1,
  febbraio: 2, feb: 2, february: 2,
  marzo: 3, mar: 3, march: 3,
  aprile: 4, apr: 4, april: 4,
  maggio: 5, mag: 5, may: 5,
  giugno: 6, giu: 6, june: 6, jun: 6,
  luglio: 7, lug: 7, july: 7, jul: 7,
  agosto: 8, ago: 8, august: 8, aug: 8,
  settembre: 9, set: 9, sett: 9, september: 9, sep: 9, sept: 9,
  ottobre: 10, ott: 10, october: 10, oct: 10,
  novembre: 11, nov: 11, november: 11,
  dicembre: 12, dic: 12, december: 12, dec: 12,
}; // prettier-ignore

/** getUTCDay() numbering: 0 is Sunday. */
const WEEKDAYS: Record<string, number> = {
  domenica: 0, sunday: 0, lunedi: 1, monday: 1, martedi: 2, tuesday: 2, mercoledi: 3,
  wednesday: 3, giovedi: 4, thursday: 4, venerdi: 5, friday: 5, sabato: 6, saturday: 6,
}; // prettier-ignore

const MONTH_NAMES = Object.keys(MONTHS).join('|');
const RELATIVE =
  /\b(l ?altro ieri|altro ieri|day before yesterday|ieri|yesterday|last night|oggi|stamattina|stamani|stanotte|stasera|today|this morning|tonight)\b/g;
const DAYS_AGO = /\b(\d{1,2}) (?:giorni fa|days? ago)\b/g;
// Slash or dash only: "12.30" is a time or an amount far more often than a date.
const NUMERIC = /\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?\b/g;
const DAY_MONTH = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_NAMES})\\b(?: (\\d{4}))?`,
  'g',
);
const MONTH_DAY = new RegExp(
  `\\b(${MONTH_NAMES}) (\\d{1,2})(?:st|nd|rd|th)?\\b(?: (\\d{4}))?`,
  'g',
);
const WEEKDAY = new RegExp(`\\b(${Object.keys(WEEKDAYS).join('|')})\\b`, 'g');

/** A dated mention and where it starts, so the caller can keep the text order. */
export interface DateMention {
  index: number;
  iso: string;
}

/** Reads a lowercased, accent-free text (apostrophes as spaces). */
export function findDates(text: string, now: Date): DateMention[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: DateMention[] = [];
  const push = (index: number, ms: number | null): void => {
    if (ms !== null) out.push({ index, iso: new Date(ms).toISOString().slice(0, 10) });
  };
  for (const m of text.matchAll(RELATIVE)) push(m.index, today - relativeDays(m[1] ?? '') * DAY_MS);
  for (const m of text.matchAll(DAYS_AGO)) push(m.index, today - Number(m[1]) * DAY_MS);
  for (const m of text.matchAll(NUMERIC)) {
    push(m.index, calendar(today, Number(m[1]), Number(m[2]), m[3]));
  }
  for (const m of text.matchAll(DAY_MONTH)) {
    push(m.index, calendar(today, Number(m[1]), MONTHS[m[2] ?? ''] ?? 0, m[3]));
  }
  for (const m of text.matchAll(MONTH_DAY)) {
    push(m.index, calendar(today, Number(m[2]), MONTHS[m[1] ?? ''] ?? 0, m[3]));
  }
  for (const m of text.matchAll(WEEKDAY)) {
    const wanted = WEEKDAYS[m[1] ?? ''] ?? 0;
    const back = (new Date(today).getUTCDay() - wanted + 7) % 7;
    push(m.index, today - back * DAY_MS);
  }
  return out.sort((a, b) => a.index - b.index);
}

function relativeDays(word: string): number {
  if (word.includes('altro') || word === 'day before yesterday') return 2;
  if (word === 'ieri' || word === 'yesterday' || word === 'last night') return 1;
  return 0;
}

/** Day and month (and maybe a year) to a UTC midnight; null when it is not a real date. */
function calendar(today: number, day: number, month: number, year?: string): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const thisYear = new Date(today).getUTCFullYear();
  let y = year === undefined ? thisYear : Number(year.length === 2 ? `20${year}` : year);
  let ms = Date.UTC(y, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) return null;
  if (year === undefined && ms > today) {
    y -= 1;
    ms = Date.UTC(y, month - 1, day);
    if (new Date(ms).getUTCDate() !== day) return null;
  }
  return ms;
}
