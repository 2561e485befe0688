import { channelName } from './format';
import type { JourneySummary, JourneyTarget } from '@omnigate/contracts';

/** The dashboard's range as the picker holds it: whole UTC days, both ends included. */
export interface DayRange {
  fromDay: string;
  toDay: string;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function msOf(day: string): number {
  return DAY.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : Number.NaN;
}

/** The last `days` days up to today (UTC), today included: the API's own default. Pure. */
export function defaultRange(now: Date, days = 7): DayRange {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { fromDay: dayOf(today - (days - 1) * DAY_MS), toDay: dayOf(today) };
}

/** Why the API would refuse the range (400), said before asking it; null when it is fine. Pure. */
export function rangeProblem(r: DayRange): string | null {
  const from = msOf(r.fromDay);
  const to = msOf(r.toDay);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'Pick both dates.';
  if (to < from) return 'The end date is before the start date.';
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) return `At most ${MAX_DAYS} days.`;
  return null;
}

/** from = the first day's midnight, to = the midnight after the last day (exclusive), UTC. Pure. */
export function rangeQuery(r: DayRange): string {
  const from = new Date(msOf(r.fromDay)).toISOString();
  const to = new Date(msOf(r.toDay) + DAY_MS).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

export function summaryPath(r: DayRange): string {
  return `/api/journeys/summary?${rangeQuery(r)}`;
}

export function csvPath(r: DayRange): string {
  return `/api/journeys/summary.csv?${rangeQuery(r)}`;
}

/** 0.8125 → '81%'; a rate of nothing (no data) reads as a dash. Pure. */
export function percent(rate: number | null | undefined, hasData = true): string {
  if (!hasData || rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${Math.round(rate * 100)}%`;
}

/** '850 ms', '12 s', '4 min 5 s', '3 h 10 min', '2 d 4 h'. Pure. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) return `${v} ms`;
  const s = Math.round(v / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A histogram bucket's upper bound as a label: '≤ 1 min'; the open last bucket 'longer'. Pure. */
export function bucketLabel(leMs: number | null): string {
  return leMs !== null && Number.isFinite(leMs) ? `≤ ${durationText(leMs)}` : 'longer';
}

export interface FlowRow {
  key: string;
  label: string;
  start: string;
  end: string;
  count: number;
}

/** Start → end channel flows, most frequent first; ties by name for a stable order. Pure. */
export function flowRows(flows: JourneySummary['flows']): FlowRow[] {
  return flows
    .map((f) => ({
      key: `${f.start}>${f.end}`,
      label: `${channelName(f.start)} → ${channelName(f.end)}`,
      start: f.start,
      end: f.end,
      count: f.count,
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Context lost at each channel switch, most first. Pure. */
export function switchLossRows(bySwitch: JourneySummary['contextLoss']['bySwitch']): FlowRow[] {
  return flowRows(bySwitch.map((s) => ({ start: s.from, end: s.to, count: s.count })));
}

const JOURNEY_NAMES: Record<string, string> = {
  fraud: 'Fraud',
  onboarding: 'Onboarding',
  dispute: 'Dispute',
  other: 'Other',
};
const KIND_NAMES: Record<string, string> = {
  card: 'Card number',
  transaction: 'Transaction',
  fact: 'Other fact',
};

export function journeyName(j: string): string {
  return JOURNEY_NAMES[j] ?? j;
}

export function lossKindName(k: string): string {
  return KIND_NAMES[k] ?? k;
}

export interface FunnelStep {
  key: 'started' | 'identified' | 'completed';
  label: string;
  count: number;
  /** Share of those who started. */
  share: number;
}

export function onboardingFunnel(o: JourneySummary['onboarding']): FunnelStep[] {
  const of = (n: number) => (o.started > 0 ? n / o.started : 0);
  return [
    { key: 'started', label: 'Started', count: o.started, share: of(o.started) },
    { key: 'identified', label: 'Identified', count: o.identified, share: of(o.identified) },
    { key: 'completed', label: 'Completed', count: o.completed, share: of(o.completed) },
  ];
}

const DURATION_TARGETS = new Set(['resolution_time', 'fraud_resolution']);
const RATE_TARGETS = new Set(['fcr', 'onboarding']);

function valueText(id: string, v: number | string | null): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (DURATION_TARGETS.has(id)) return durationText(v);
  if (RATE_TARGETS.has(id)) return percent(v);
  return String(v);
}

export interface TargetLine {
  id: string;
  label: string;
  target: string;
  measured: string;
  verdict: 'met' | 'missed' | 'no data';
}

/** A seed target beside what was measured: p50 durations, rates as percentages. Pure. */
export function targetLine(t: JourneyTarget): TargetLine {
  const target =
    DURATION_TARGETS.has(t.id) && typeof t.target === 'number'
      ? `≤ ${durationText(t.target)}`
      : RATE_TARGETS.has(t.id) && typeof t.target === 'number'
        ? `≥ ${percent(t.target)}`
        : valueText(t.id, t.target);
  return {
    id: t.id,
    label: t.label,
    target,
    measured: valueText(t.id, t.measured),
    verdict: t.met === null ? 'no data' : t.met ? 'met' : 'missed',
  };
}

/** One day of the FCR series with its rate (null on a day without resolutions). Pure. */
export function fcrSeries(
  series: JourneySummary['fcr']['series'],
): Array<{ day: string; resolved: number; firstContact: number; rate: number | null }> {
  return [...series]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({
      ...d,
      rate: d.resolved > 0 ? Math.round((100 * d.firstContact) / d.resolved) : null,
    }));
}
