/**
 * Where each message's cost arises, per bench step: CPU ms per message of each process and the
 * database statements per message that each app sent, with the most frequent statement shapes.
 */
import { CpuWindow, descendants, labelOf, launcherSource, postgresSource } from './process-cpu';
import type { CpuSource } from './process-cpu';
import { collectStatements, statementDelta } from './statement-stats';
import type { ProcessStatements } from './statement-stats';
import type { System } from './system';

export interface StepCost {
  /** By process label (an app, nats-server, postgres, bench = the load generator). */
  cpuMsPerMsg: Record<string, number>;
  /** By app label, and `total`. */
  statementsPerMsg: Record<string, number>;
  /** The most frequent statement shapes of the step, all apps together, per message. */
  topStatements: Array<{ perMsg: number; shape: string }>;
}

const TOP_SHAPES = 15;

export class CostMeter {
  private window: CpuWindow | null = null;
  private before = new Map<number, ProcessStatements>();

  private constructor(
    private readonly sys: System,
    private readonly sources: CpuSource[],
    readonly postgresMeasured: boolean,
  ) {}

  static async open(sys: System): Promise<CostMeter> {
    const sources = [launcherSource(sys.pid, sys.separate)];
    const pg = sys.database ? await postgresSource(sys.database.url, sys.database.name) : null;
    if (pg) sources.push(pg);
    return new CostMeter(sys, sources, pg !== null);
  }

  async begin(): Promise<void> {
    this.before = await collectStatements(this.sys.statsDir);
    this.window = await CpuWindow.open(this.sources);
  }

  async end(messages: number): Promise<StepCost> {
    const cpu = await this.window!.close();
    const after = await collectStatements(this.sys.statsDir);
    const labels = new Map(
      descendants(this.sys.pid).map((s) => [s.pid, labelOf(s, this.sys.pid, this.sys.separate)]),
    );
    const perMsg = (n: number) => Number((n / Math.max(1, messages)).toFixed(2));
    const counts: Record<string, number> = {};
    const shapes = new Map<string, number>();
    let total = 0;
    for (const [pid, dump] of after) {
      const d = statementDelta(this.before.get(pid), dump);
      const label = labels.get(pid) ?? `pid ${pid}`;
      counts[label] = (counts[label] ?? 0) + d.total;
      total += d.total;
      for (const [shape, n] of d.byShape) shapes.set(shape, (shapes.get(shape) ?? 0) + n);
    }
    counts.total = total;
    const each = (r: Record<string, number>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, perMsg(v)]));
    return {
      cpuMsPerMsg: each(cpu),
      statementsPerMsg: each(counts),
      topStatements: [...shapes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP_SHAPES)
        .map(([shape, n]) => ({ perMsg: perMsg(n), shape })),
    };
  }

  async close(): Promise<void> {
    for (const s of this.sources) await s.close();
  }
}

/** Column order: the path's processes first, then the rest as they come. */
const ORDER = [
  'gateway-sms',
  'router',
  'console',
  'vault',
  'all apps',
  'postgres',
  'nats-server',
  'sandbox',
];

export function costColumns(costs: StepCost[], key: 'cpuMsPerMsg' | 'statementsPerMsg'): string[] {
  const seen = new Set(costs.flatMap((c) => Object.keys(c[key])));
  const rank = (l: string) => {
    const i = ORDER.indexOf(l);
    if (l === 'total') return 1000;
    if (l === 'bench') return 999;
    return i < 0 ? 100 : i;
  };
  return [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The step's cost as table rows under `costColumns`. */
export function costTable(rows: Array<{ rate: number; cost: StepCost }>): string[] {
  const costs = rows.map((r) => r.cost);
  const cpu = costColumns(costs, 'cpuMsPerMsg');
  const stmts = costColumns(costs, 'statementsPerMsg');
  const head = ['rate msg/s', ...cpu.map((c) => `${c} cpu ms`), ...stmts.map((c) => `${c} stmts`)];
  const lines = [head.join(' | ')];
  for (const { rate, cost } of rows) {
    const cells = [
      String(rate),
      ...cpu.map((c) => fmt(cost.cpuMsPerMsg[c])),
      ...stmts.map((c) => fmt(cost.statementsPerMsg[c])),
    ];
    lines.push(cells.map((v, i) => v.padStart(head[i]!.length)).join(' | '));
  }
  return lines;
}

function fmt(n: number | undefined): string {
  return n === undefined ? '-' : n.toFixed(2);
}
