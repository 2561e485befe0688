import type { DurationDistribution, JourneySummary, JourneyTarget } from '@omnigate/contracts';
import type { JourneyFigures } from '@omnigate/store';

/** Non-cumulative buckets, ms: each counts the times above the previous bound up to its own. */
export const DURATION_BUCKETS_MS = [
  60_000, 300_000, 900_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 86_400_000, 172_800_000,
  604_800_000,
] as const;

const ratio = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);
/** The summary says 0 where nothing was measured (an empty range); targets say null. */
const orZero = (x: number | null): number => x ?? 0;
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The nearest-rank percentile of the values (null for none). Pure. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function distribution(values: readonly number[]): DurationDistribution {
  return {
    count: values.length,
    p50Ms: orZero(percentile(values, 50)),
    p90Ms: orZero(percentile(values, 90)),
  };
}

/** Counts per bucket; the last one (leMs null) holds what is above every bound. Pure. */
export function buckets(values: readonly number[]): Array<{ leMs: number | null; count: number }> {
  const out: Array<{ leMs: number | null; count: number }> = DURATION_BUCKETS_MS.map((le) => ({
    leMs: le,
    count: 0,
  }));
  out.push({ leMs: null, count: 0 });
  for (const v of values) {
    const i = DURATION_BUCKETS_MS.findIndex((le) => v <= le);
    out[i === -1 ? out.length - 1 : i]!.count += 1;
  }
  return out;
}

function sumBy<T>(rows: readonly T[], key: (r: T) => string | null, n: (r: T) => number) {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + n(r));
  }
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The seed article's four numbers beside what was measured. Pure. */
export function targets(
  f: { fcr: number | null; p50: number | null; fraudP50: number | null; onboarding: number | null },
  baselineMs: number,
): JourneyTarget[] {
  const resolutionGoal = Math.round(0.65 * baselineMs);
  const met = (v: number | null, ok: (x: number) => boolean) => (v === null ? null : ok(v));
  return [
    { id: 'resolution_time', label: 'Resolution time −35%', target: resolutionGoal, measured: f.p50, met: met(f.p50, (x) => x <= resolutionGoal) },
    { id: 'fcr', label: 'First-contact resolution 62% → 89%', target: 0.89, measured: f.fcr, met: met(f.fcr, (x) => x >= 0.89) },
    { id: 'fraud_resolution', label: 'Fraud resolution 48 h → under 2 h', target: 7_200_000, measured: f.fraudP50, met: met(f.fraudP50, (x) => x < 7_200_000) },
    { id: 'onboarding', label: 'Onboarding conversion 41% → 63%', target: 0.63, measured: f.onboarding, met: met(f.onboarding, (x) => x >= 0.63) },
  ]; // prettier-ignore
}

/** The projection's figures → the dashboard's summary (docs: /work/briefs/journey-api.md). Pure. */
export function toJourneySummary(
  f: JourneyFigures,
  range: { from: Date; to: Date },
  baselineResolutionMs: number,
): JourneySummary {
  const resolved = f.fcrDays.reduce((a, d) => a + d.resolved, 0);
  const firstContact = f.fcrDays.reduce((a, d) => a + d.firstContact, 0);
  const losses = f.losses;
  const resolution = distribution(f.resolutionMs);
  const fraud = distribution(f.fraudResolutionMs);
  const fcrRate = ratio(firstContact, resolved);
  const conversion = ratio(f.onboarding.completed, f.onboarding.started);
  const { botOnly, handedOff } = f.containment;
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    conversations: f.conversations,
    flows: [...f.flows].sort((a, b) => b.count - a.count),
    switches: f.switches,
    contextLoss: {
      total: losses.reduce((a, l) => a + l.count, 0),
      bySwitch: sumBy(losses, (l) => (l.switchFrom && l.switchTo ? `${l.switchFrom}>${l.switchTo}` : null), (l) => l.count)
        .map(([k, count]) => ({ from: k.split('>')[0]!, to: k.split('>')[1]!, count })),
      byHandoff: losses.filter((l) => l.afterHandoff).reduce((a, l) => a + l.count, 0),
      byJourney: sumBy(losses, (l) => l.journey, (l) => l.count).map(([journey, count]) => ({ journey, count })),
      byKind: sumBy(losses, (l) => l.kind, (l) => l.count).map(([kind, count]) => ({ kind, count })),
    }, // prettier-ignore
    fcr: { rate: orZero(fcrRate), resolved, firstContact, series: f.fcrDays },
    resolution: { ...resolution, buckets: buckets(f.resolutionMs) },
    fraudResolution: { ...fraud, buckets: buckets(f.fraudResolutionMs) },
    firstResponse: distribution(f.firstResponseMs),
    onboarding: { ...f.onboarding, conversion: orZero(conversion) },
    botContainment: { rate: orZero(ratio(botOnly, botOnly + handedOff)), botOnly, handedOff },
    clocks: f.clocks,
    targets: targets(
      {
        fcr: fcrRate,
        p50: percentile(f.resolutionMs, 50),
        fraudP50: percentile(f.fraudResolutionMs, 50),
        onboarding: conversion,
      },
      baselineResolutionMs,
    ),
    baselineResolutionMs,
  };
}

type Cell = string | number | boolean | null;
const csvCell = (v: Cell): string => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The same numbers as CSV: section, name, value; one row per metric, flow and bucket. Pure. */
export function toJourneyCsv(s: JourneySummary): string {
  const rows: Cell[][] = [['section', 'name', 'value']];
  const add = (section: string, name: string, value: Cell) => rows.push([section, name, value]);
  add('range', 'from', s.range.from);
  add('range', 'to', s.range.to);
  add('totals', 'conversations', s.conversations);
  add('totals', 'switches', s.switches);
  for (const fl of s.flows) add('flow', `${fl.start}>${fl.end}`, fl.count);
  add('context_loss', 'total', s.contextLoss.total);
  add('context_loss', 'after_handoff', s.contextLoss.byHandoff);
  for (const x of s.contextLoss.bySwitch) add('context_loss_switch', `${x.from}>${x.to}`, x.count);
  for (const x of s.contextLoss.byJourney) add('context_loss_journey', x.journey, x.count);
  for (const x of s.contextLoss.byKind) add('context_loss_kind', x.kind, x.count);
  add('fcr', 'rate', s.fcr.rate);
  add('fcr', 'resolved', s.fcr.resolved);
  add('fcr', 'first_contact', s.fcr.firstContact);
  for (const d of s.fcr.series) add('fcr_day', d.day, `${d.firstContact}/${d.resolved}`);
  for (const [name, dist] of [
    ['resolution', s.resolution],
    ['fraud_resolution', s.fraudResolution],
    ['first_response', s.firstResponse],
  ] as const) {
    add(name, 'count', dist.count);
    add(name, 'p50_ms', dist.p50Ms);
    add(name, 'p90_ms', dist.p90Ms);
  }
  for (const b of s.resolution.buckets) {
    add('resolution_bucket', `le_ms_${b.leMs ?? 'inf'}`, b.count);
  }
  for (const b of s.fraudResolution.buckets) {
    add('fraud_resolution_bucket', `le_ms_${b.leMs ?? 'inf'}`, b.count);
  }
  for (const [k, v] of Object.entries(s.onboarding)) add('onboarding', k, v);
  for (const [k, v] of Object.entries(s.botContainment)) add('bot_containment', k, v);
  for (const [k, v] of Object.entries(s.clocks)) add('clocks', k, v);
  for (const t of s.targets) {
    add('target', t.id, `${t.measured ?? ''} vs ${t.target} (${t.met ?? 'n/a'})`);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
