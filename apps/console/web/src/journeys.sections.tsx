import type { ReactNode } from 'react';
import { CHART_COLORS, CountBars, DistributionBars, FcrChart } from './journeys.charts';
import {
  bucketLabel,
  durationText,
  fcrSeries,
  flowRows,
  journeyName,
  lossKindName,
  onboardingFunnel,
  percent,
  switchLossRows,
  targetLine,
} from './journeys.mapper';
import type { BucketedDistribution, JourneySummary } from '@omnigate/contracts';

/** A headline number; `value` is what the page shows, `testId` what a test reads. */
export function Stat(props: { testId: string; label: string; value: string; hint?: string }) {
  return (
    <div className="stat" data-testid={props.testId}>
      <span className="stat-label">{props.label}</span>
      <strong className="stat-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </strong>
      {props.hint && <span className="stat-hint">{props.hint}</span>}
    </div>
  );
}

function Section(props: { title: string; testId: string; children: ReactNode; note?: string }) {
  return (
    <section className="dash-section" data-testid={props.testId}>
      <h2>{props.title}</h2>
      {props.note && <p className="note">{props.note}</p>}
      {props.children}
    </section>
  );
}

function CountTable(props: {
  head: string;
  rows: Array<{ key: string; label: string; count: number }>;
  rowTestId: string;
}) {
  if (props.rows.length === 0) return null;
  return (
    <table className="compact">
      <thead>
        <tr>
          <th>{props.head}</th>
          <th className="num">Count</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key} data-testid={props.rowTestId} data-key={r.key} data-count={r.count}>
            <td>{r.label}</td>
            <td className="num">{r.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TargetsSection({ s, baselineNote }: { s: JourneySummary; baselineNote: string }) {
  return (
    <Section title="The four targets" testId="journeys-targets" note={baselineNote}>
      <table className="compact targets">
        <thead>
          <tr>
            <th>Target</th>
            <th>Goal</th>
            <th>Measured</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {s.targets.map(targetLine).map((t) => (
            <tr key={t.id} data-testid="target-row" data-target={t.id} data-verdict={t.verdict}>
              <td>{t.label}</td>
              <td>{t.target}</td>
              <td data-testid="target-measured">{t.measured}</td>
              <td>
                <span
                  className={`tag ${t.verdict === 'met' ? 'ok' : t.verdict === 'missed' ? 'bad' : ''}`}
                >
                  {t.verdict}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function FlowsSection({ s }: { s: JourneySummary }) {
  const rows = flowRows(s.flows);
  return (
    <Section
      title="Start channel → end channel"
      testId="journeys-flows"
      note="Where each conversation started and where it ended."
    >
      <CountBars data={rows} />
      <CountTable head="Flow" rows={rows} rowTestId="flow-row" />
    </Section>
  );
}

export function ContextLossSection({ s }: { s: JourneySummary }) {
  const c = s.contextLoss;
  const bySwitch = switchLossRows(c.bySwitch);
  const byJourney = c.byJourney.map((j) => ({
    key: j.journey,
    label: journeyName(j.journey),
    count: j.count,
  }));
  const byKind = c.byKind.map((k) => ({
    key: k.kind,
    label: lossKindName(k.kind),
    count: k.count,
  }));
  return (
    <Section
      title="Where context was lost"
      testId="journeys-context-loss"
      note="Each time a customer was asked for, or repeated, something already known in the conversation."
    >
      <div className="dash-row">
        <Stat testId="loss-total" label="Context lost" value={String(c.total)} />
        <Stat testId="loss-handoff" label="Right after a hand-off" value={String(c.byHandoff)} />
      </div>
      <h3>By channel switch</h3>
      <CountBars data={bySwitch} color={CHART_COLORS.warn} />
      <CountTable head="Switch" rows={bySwitch} rowTestId="loss-switch-row" />
      <div className="dash-row">
        <CountTable head="Journey" rows={byJourney} rowTestId="loss-journey-row" />
        <CountTable head="What was repeated" rows={byKind} rowTestId="loss-kind-row" />
      </div>
    </Section>
  );
}

export function FcrSection({ s }: { s: JourneySummary }) {
  const series = fcrSeries(s.fcr.series);
  return (
    <Section
      title="First-contact resolution over time"
      testId="journeys-fcr"
      note="By the day the customer first wrote: resolved, and not reopened within 7 days."
    >
      <FcrChart data={series} />
      <table className="compact">
        <thead>
          <tr>
            <th>Day (UTC)</th>
            <th className="num">Resolved</th>
            <th className="num">First contact</th>
            <th className="num">FCR</th>
          </tr>
        </thead>
        <tbody>
          {series.map((d) => (
            <tr key={d.day} data-testid="fcr-day-row" data-day={d.day}>
              <td>{d.day}</td>
              <td className="num">{d.resolved}</td>
              <td className="num">{d.firstContact}</td>
              <td className="num">{d.rate === null ? '—' : `${d.rate}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function DistributionBlock(props: {
  title: string;
  testId: string;
  d: BucketedDistribution;
  color?: string;
}) {
  const data = props.d.buckets.map((b) => ({ label: bucketLabel(b.leMs), count: b.count }));
  const none = props.d.count === 0;
  return (
    <div className="dash-col" data-testid={props.testId}>
      <h3>{props.title}</h3>
      <div className="dash-row">
        <Stat testId={`${props.testId}-count`} label="Count" value={String(props.d.count)} />
        <Stat
          testId={`${props.testId}-p50`}
          label="p50"
          value={none ? '—' : durationText(props.d.p50Ms)}
        />
        <Stat
          testId={`${props.testId}-p90`}
          label="p90"
          value={none ? '—' : durationText(props.d.p90Ms)}
        />
      </div>
      <DistributionBars data={data} {...(props.color ? { color: props.color } : {})} />
    </div>
  );
}

export function ResolutionSection({ s }: { s: JourneySummary }) {
  return (
    <Section title="Resolution time" testId="journeys-resolution">
      <div className="dash-row">
        <DistributionBlock title="All conversations" testId="resolution" d={s.resolution} />
        <DistributionBlock
          title="Fraud: signal to resolution"
          testId="fraud-resolution"
          d={s.fraudResolution}
          color={CHART_COLORS.warn}
        />
      </div>
    </Section>
  );
}

export function OnboardingSection({ s }: { s: JourneySummary }) {
  const steps = onboardingFunnel(s.onboarding);
  const none = s.onboarding.started === 0;
  return (
    <Section title="Onboarding funnel" testId="journeys-onboarding">
      <CountBars data={steps} color={CHART_COLORS.ok} />
      <table className="compact">
        <tbody>
          {steps.map((st) => (
            <tr key={st.key} data-testid="funnel-step" data-step={st.key} data-count={st.count}>
              <td>{st.label}</td>
              <td className="num">{st.count}</td>
              <td className="num">{percent(st.share, !none)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Conversion:{' '}
        <strong data-testid="onboarding-conversion">
          {percent(s.onboarding.conversion, !none)}
        </strong>
      </p>
    </Section>
  );
}

export function ClocksSection({ s }: { s: JourneySummary }) {
  return (
    <Section
      title="Regulatory clocks on open tickets"
      testId="journeys-clocks"
      note="Complaints and card disputes (PSD2, Reg E, Reg Z, CFPB deadlines)."
    >
      <div className="dash-row">
        <Stat testId="clocks-on-track" label="On track" value={String(s.clocks.onTrack)} />
        <Stat testId="clocks-at-risk" label="At risk" value={String(s.clocks.atRisk)} />
        <Stat testId="clocks-breached" label="Breached" value={String(s.clocks.breached)} />
      </div>
    </Section>
  );
}
