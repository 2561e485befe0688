import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { collectDefaultMetrics, Registry } from 'prom-client';

const ROOT = join(__dirname, '..');
const MONITORING = join(ROOT, 'deploy', 'monitoring');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules' || f === 'web') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/**
 * The metric names the code registers: every `counter('…')`, `gauge('…')`, `histogram('…')` and
 * `name: '…'` of a prom-client metric under apps/ and libs/, and prom-client's process metrics.
 */
function registeredNames(): Set<string> {
  const names = new Set<string>();
  for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:counter|gauge|histogram)\(\s*'([a-z_:][a-z0-9_:]*)'/g)) {
      names.add(m[1]!);
    }
    for (const m of text.matchAll(/\bname: '(omnigate_[a-z0-9_]+)'/g)) names.add(m[1]!);
  }
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const metric of defaults.getMetricsAsArray()) names.add(metric.name);
  return names;
}

/** Metric names in a PromQL expression (ours, Node's and the process's), series suffixes removed. */
function metricsIn(expr: string): string[] {
  const found = expr.match(/\b(?:omnigate|process|nodejs)_[a-z0-9_]+/g) ?? [];
  return found.map((n) => n.replace(/_(bucket|sum|count)$/, ''));
}

interface AlertRules {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string }> }>;
}
interface Dashboard {
  uid: string;
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

const alerts = load(readFileSync(join(MONITORING, 'omnigate-alerts.yaml'), 'utf8')) as AlertRules;
const dashboard = JSON.parse(
  readFileSync(join(MONITORING, 'omnigate-dashboard.json'), 'utf8'),
) as Dashboard;
const names = registeredNames();

describe('deploy/monitoring', () => {
  it('finds the registry names in the code (the scan itself works)', () => {
    for (const n of [
      'omnigate_bus_consumed_total',
      'omnigate_ready',
      'process_cpu_seconds_total',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('alerts: lag growing, p99 over 200 ms, dead letters growing, not ready', () => {
    const rules = alerts.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'OmnigateConsumerLagGrowing',
        'OmnigateEndToEndP99High',
        'OmnigateDeadLettersGrowing',
        'OmnigateNotReady',
      ]),
    );
    expect(rules.find((r) => r.alert === 'OmnigateEndToEndP99High')?.expr).toMatch(/> 0\.2\s*$/);
    for (const r of rules) expect(metricsIn(r.expr).length).toBeGreaterThan(0);
  });

  it('every metric an alert names exists in the code', () => {
    const rules = alerts.groups.flatMap((g) => g.rules);
    const unknown = rules.flatMap((r) => metricsIn(r.expr).filter((n) => !names.has(n)));
    expect(unknown).toEqual([]);
  });

  it('every metric a dashboard panel names exists in the code', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(5);
    expect(exprs.flatMap((e) => metricsIn(e)).filter((n) => !names.has(n))).toEqual([]);
  });
});
