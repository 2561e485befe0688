import { useCallback, useEffect, useState } from 'react';
import { api } from './api.client';
import { errorText } from './format';
import {
  csvPath,
  defaultRange,
  durationText,
  percent,
  rangeProblem,
  summaryPath,
} from './journeys.mapper';
import type { DayRange } from './journeys.mapper';
import {
  ClocksSection,
  ContextLossSection,
  FcrSection,
  FlowsSection,
  OnboardingSection,
  ResolutionSection,
  Stat,
  TargetsSection,
} from './journeys.sections';
import type { JourneySummary } from '@omnigate/contracts';

const BASELINE_NOTE =
  'The resolution-time target compares the median with a baseline set by ' +
  'JOURNEY_BASELINE_RESOLUTION_MS (24 h unless configured): −35% means a median at most 0.65 × that baseline.';

const PRESETS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
] as const;

/**
 * Customer journeys (supervisor, admin): where customers start, switch and lose context, how fast
 * they are helped, and the seed's four targets. One request per range; the CSV is the same numbers.
 */
export function JourneysPage() {
  const [draft, setDraft] = useState<DayRange>(() => defaultRange(new Date()));
  const [range, setRange] = useState<DayRange>(draft);
  const [summary, setSummary] = useState<JourneySummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback((r: DayRange) => {
    setLoading(true);
    api<JourneySummary>('GET', summaryPath(r))
      .then((s) => {
        setSummary(s);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(() => load(range), [load, range]);

  const problem = rangeProblem(draft);
  const apply = (r: DayRange) => {
    setDraft(r);
    if (!rangeProblem(r)) setRange({ ...r });
  };

  return (
    <main className="page journeys" data-testid="journeys-page" aria-busy={loading}>
      <div className="dash-head">
        <h1>Customer journeys</h1>
        <form
          className="range"
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <label>
            From
            <input
              type="date"
              value={draft.fromDay}
              onChange={(e) => setDraft({ ...draft, fromDay: e.target.value })}
              data-testid="range-from"
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={draft.toDay}
              onChange={(e) => setDraft({ ...draft, toDay: e.target.value })}
              data-testid="range-to"
            />
          </label>
          <button type="submit" disabled={problem !== null} data-testid="range-apply">
            Show
          </button>
          {PRESETS.map((p) => (
            <button
              key={p.days}
              type="button"
              onClick={() => apply(defaultRange(new Date(), p.days))}
              data-testid={`range-preset-${p.days}`}
            >
              {p.label}
            </button>
          ))}
          <a className="button" href={csvPath(range)} download data-testid="csv-export">
            Export CSV
          </a>
        </form>
      </div>
      <p className="note">Days in UTC, both ends included. {problem}</p>
      {error && (
        <p className="error" role="alert" data-testid="journeys-error">
          {error}
        </p>
      )}
      {summary && <Dashboard s={summary} />}
    </main>
  );
}

function Dashboard({ s }: { s: JourneySummary }) {
  const resolvedAny = s.fcr.resolved > 0;
  const botTotal = s.botContainment.botOnly + s.botContainment.handedOff;
  return (
    <div data-testid="journeys-dashboard" data-from={s.range.from} data-to={s.range.to}>
      <div className="dash-row stats">
        <Stat testId="stat-conversations" label="Conversations" value={String(s.conversations)} />
        <Stat testId="stat-switches" label="Channel switches" value={String(s.switches)} />
        <Stat testId="stat-context-loss" label="Context lost" value={String(s.contextLoss.total)} />
        <Stat
          testId="stat-fcr"
          label="First-contact resolution"
          value={percent(s.fcr.rate, resolvedAny)}
          hint={`${s.fcr.firstContact} of ${s.fcr.resolved} resolved`}
        />
        <Stat
          testId="stat-containment"
          label="Bot containment"
          value={percent(s.botContainment.rate, botTotal > 0)}
          hint={`${s.botContainment.botOnly} bot only, ${s.botContainment.handedOff} handed off`}
        />
        <Stat
          testId="stat-first-response"
          label="First response p50"
          value={s.firstResponse.count ? durationText(s.firstResponse.p50Ms) : '—'}
        />
      </div>
      <TargetsSection s={s} baselineNote={BASELINE_NOTE} />
      <div className="dash-grid">
        <FlowsSection s={s} />
        <ContextLossSection s={s} />
        <FcrSection s={s} />
        <OnboardingSection s={s} />
      </div>
      <ResolutionSection s={s} />
      <ClocksSection s={s} />
    </div>
  );
}
