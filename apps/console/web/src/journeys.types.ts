/**
 * GET /api/journeys/summary as the dashboard reads it (the shape in the console's journey API:
 * times in ms, rates 0..1, days as UTC dates).
 */

export interface Distribution {
  count: number;
  p50Ms: number;
  p90Ms: number;
  /** Upper bounds in ms; the last bucket (null) holds everything longer. */
  buckets?: Array<{ leMs: number | null; count: number }>;
}

export type TargetId = 'resolution_time' | 'fcr' | 'fraud_resolution' | 'onboarding';

export interface TargetView {
  /** A TargetId; another id (a target added later) is shown as given. */
  id: string;
  label: string;
  target: number | string;
  measured: number | string | null;
  met: boolean | null;
}

export interface JourneySummary {
  range: { from: string; to: string };
  conversations: number;
  flows: Array<{ start: string; end: string; count: number }>;
  switches: number;
  contextLoss: {
    total: number;
    bySwitch: Array<{ from: string; to: string; count: number }>;
    byHandoff: number;
    byJourney: Array<{ journey: string; count: number }>;
    byKind: Array<{ kind: string; count: number }>;
  };
  fcr: {
    rate: number;
    resolved: number;
    firstContact: number;
    series: Array<{ day: string; resolved: number; firstContact: number }>;
  };
  resolution: Distribution;
  fraudResolution: Distribution;
  firstResponse: Distribution;
  onboarding: { started: number; identified: number; completed: number; conversion: number };
  botContainment: { rate: number; botOnly: number; handedOff: number };
  clocks: { onTrack: number; atRisk: number; breached: number };
  targets: TargetView[];
}
