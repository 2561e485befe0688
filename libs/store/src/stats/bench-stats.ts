import { createServer } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { StatementCounter } from './statement-counter';

/**
 * `BENCH_STATS=<absolute folder>`: count the database statements this process sends and answer
 * them, as one JSON document, to whoever connects to the Unix socket `<folder>/<pid>.sock` (the
 * bench, between its steps). `BENCH_STATS_TRACE=1` also keeps each statement in order with its
 * caller. Unset (production, tests): nothing is counted or listened on, the driver is untouched.
 * A socket in the bench's private folder, not a port or a signal: nothing reachable from outside,
 * and Nest treats SIGUSR2 as a shutdown signal.
 */
export const BENCH_STATS_ENV = 'BENCH_STATS';

let counter: StatementCounter | null | undefined;

/** The process's counter, or null when the bench did not ask for one (decided once). */
export function benchStatementCounter(): StatementCounter | null {
  if (counter !== undefined) return counter;
  const dir = process.env[BENCH_STATS_ENV];
  if (!dir) return (counter = null);
  // A relative folder would land wherever each app process happens to run.
  if (!isAbsolute(dir)) throw new Error(`${BENCH_STATS_ENV} must be an absolute folder`);
  const c = new StatementCounter(process.env.BENCH_STATS_TRACE === '1');
  const server = createServer((socket) => {
    const cpu = process.cpuUsage();
    const body = {
      pid: process.pid,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      statements: c.snapshot(),
    };
    socket.on('error', () => undefined);
    socket.end(JSON.stringify(body));
  });
  server.on('error', () => undefined);
  server.listen(join(dir, `${process.pid}.sock`));
  // The bench's window on the process must not keep it alive.
  server.unref();
  return (counter = c);
}
