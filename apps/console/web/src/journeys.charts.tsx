import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/*
 * The dashboard's charts (recharts). Animations are off: a screenshot or a quick look right after
 * a range change shows the final bars, not bars half-way up. Every chart sits beside a table with
 * the same numbers, so nothing is only in a picture.
 */

const ACCENT = '#1f5eff';
const OK = '#157347';
const WARN = '#b54708';
const HEIGHT = 220;

export interface NamedCount {
  label: string;
  count: number;
}

/** Horizontal bars, one per label (flows, context loss by switch, funnel steps). */
export function CountBars({
  data,
  color = ACCENT,
  unit = '',
}: {
  data: NamedCount[];
  color?: string;
  unit?: string;
}) {
  if (data.length === 0) return <p className="empty chart-empty">No data in this range.</p>;
  const height = Math.max(120, 36 * data.length + 40);
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} unit={unit} />
          <YAxis type="category" dataKey="label" width={150} />
          <Tooltip />
          <Bar dataKey="count" name="count" fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A time distribution: one bar per bucket, labelled by its upper bound. */
export function DistributionBars({ data, color = ACCENT }: { data: NamedCount[]; color?: string }) {
  if (data.every((d) => d.count === 0)) {
    return <p className="empty chart-empty">No resolutions in this range.</p>;
  }
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name="conversations" fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** First-contact resolution per day: resolved and first-contact bars, the rate as a line. */
export function FcrChart({
  data,
}: {
  data: Array<{ day: string; resolved: number; firstContact: number; rate: number | null }>;
}) {
  if (data.length === 0) return <p className="empty chart-empty">No resolutions in this range.</p>;
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <ComposedChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" />
          <YAxis yAxisId="n" allowDecimals={false} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" />
          <Tooltip />
          <Legend />
          <Bar
            yAxisId="n"
            dataKey="resolved"
            name="resolved"
            fill={ACCENT}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="n"
            dataKey="firstContact"
            name="first contact"
            fill={OK}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            dataKey="rate"
            name="FCR %"
            stroke={WARN}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export const CHART_COLORS = { accent: ACCENT, ok: OK, warn: WARN } as const;
