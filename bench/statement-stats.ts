/**
 * Reads the statement counts that each process with a database keeps under BENCH_STATS (libs/store
 * stats/bench-stats.ts): one Unix socket per process in the bench's folder, answering JSON.
 */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { StatementSnapshot } from '@omnigate/store';

export interface ProcessStatements {
  pid: number;
  cpuMs: number;
  statements: StatementSnapshot;
}

/** One process's counts, or null when it has ended (its socket file stays). */
function ask(path: string): Promise<ProcessStatements | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(path);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => resolve(null));
    socket.on('close', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProcessStatements);
      } catch {
        resolve(null);
      }
    });
  });
}

/** The counts of every live process that keeps them, by pid. */
export async function collectStatements(dir: string): Promise<Map<number, ProcessStatements>> {
  const socks = readdirSync(dir).filter((f) => /^\d+\.sock$/.test(f));
  const answers = await Promise.all(socks.map((f) => ask(join(dir, f))));
  return new Map(answers.filter((a) => a !== null).map((a) => [a.pid, a]));
}

export interface StatementDelta {
  total: number;
  byShape: Map<string, number>;
}

/** What each process sent between two collections. */
export function statementDelta(
  before: ProcessStatements | undefined,
  after: ProcessStatements,
): StatementDelta {
  const byShape = new Map<string, number>();
  const old = new Map(before?.statements.byShape.map((s) => [s.shape, s.count]));
  for (const { shape, count } of after.statements.byShape) {
    const n = count - (old.get(shape) ?? 0);
    if (n > 0) byShape.set(shape, n);
  }
  return { total: after.statements.total - (before?.statements.total ?? 0), byShape };
}
