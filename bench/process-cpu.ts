/**
 * CPU time of each process the bench exercises, read by the bench from /proc (Linux): the apps
 * and the nats-server under the launcher, and on PostgreSQL the server backends serving the
 * bench's database. Nothing runs in the apps for it and no port shows it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

/** Clock ticks per second of /proc's utime and stime. */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU, ms. */
  cpuMs: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  // Fields 3.. after the name: state(3) ppid(4) ... utime(14) stime(15).
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: Number(rest[1]),
    comm: text.slice(open + 1, close),
    cpuMs: ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS,
  };
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // ended, or not on this machine
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Every process under `root` (itself included). */
export function descendants(root: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== null);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const rootStat = all.find((s) => s.pid === root);
  const queue = rootStat ? [rootStat] : [];
  while (queue.length) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** What a process under the launcher is: an app by its main.ts, PGlite's server, the nats-server, the launcher. */
export function labelOf(s: ProcStat, root: number, separate: boolean): string {
  if (s.pid === root) return separate ? 'launcher' : 'all apps';
  const line = cmdline(s.pid);
  const app = /apps\/([\w-]+)\/src\/main\.ts/.exec(line);
  if (app) return app[1]!;
  if (line.includes('tools/pglite-server.ts')) return 'pglite-server';
  if (s.comm.startsWith('nats-server')) return 'nats-server';
  return 'other';
}

export interface CpuSource {
  /** The processes to read now, labelled; a label may cover several pids (the backends). */
  list(): Promise<Array<{ pid: number; label: string; cpuMs: number }>>;
  close(): Promise<void>;
}

export function launcherSource(root: number, separate: boolean): CpuSource {
  return {
    list: async () =>
      descendants(root).map((s) => ({
        pid: s.pid,
        label: labelOf(s, root, separate),
        cpuMs: s.cpuMs,
      })),
    close: async () => undefined,
  };
}

/**
 * The PostgreSQL backends connected to `database`, by pg_stat_activity, read in /proc: null when
 * the server is not on this machine (its pids are not postgres processes here).
 */
export async function postgresSource(url: string, database: string): Promise<CpuSource | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const backends = async () =>
    (
      await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      )
    ).rows
      .map((r) => readStat(r.pid))
      .filter((s): s is ProcStat => s !== null && s.comm.startsWith('postgres'));
  const probe = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  if (!readStat(probe.rows[0]!.pid)?.comm.startsWith('postgres')) {
    await client.end();
    return null;
  }
  return {
    list: async () =>
      (await backends()).map((s) => ({ pid: s.pid, label: 'postgres', cpuMs: s.cpuMs })),
    close: () => client.end(),
  };
}

/**
 * CPU ms per label over a window. Sampled every `intervalMs` as well as at both ends, so a process
 * that ends inside the window (a pool's idle backend) still counts up to its last sample, and one
 * that starts inside it counts from zero.
 */
export class CpuWindow {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { label: string; cpuMs: number }>();
  private readonly benchStart = process.cpuUsage();
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly sources: CpuSource[]) {}

  static async open(sources: CpuSource[], intervalMs = 1000): Promise<CpuWindow> {
    const w = new CpuWindow(sources);
    await w.sample(true);
    w.timer = setInterval(() => void w.sample(false), intervalMs);
    return w;
  }

  /** CPU ms per label since the window opened; `bench` is this load generator itself. */
  async close(): Promise<Record<string, number>> {
    if (this.timer) clearInterval(this.timer);
    await this.sample(false);
    const used: Record<string, number> = {};
    for (const [pid, { label, cpuMs }] of this.last) {
      used[label] = (used[label] ?? 0) + cpuMs - (this.first.get(pid) ?? 0);
    }
    const bench = process.cpuUsage(this.benchStart);
    used.bench = (bench.user + bench.system) / 1000;
    return used;
  }

  private async sample(opening: boolean): Promise<void> {
    for (const source of this.sources) {
      for (const p of await source.list().catch(() => [])) {
        if (opening) this.first.set(p.pid, p.cpuMs);
        this.last.set(p.pid, { label: p.label, cpuMs: p.cpuMs });
      }
    }
  }
}
