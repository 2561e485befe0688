import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerChild, unregisterChild } from './child-registry';
import { freePort } from './free-port';
import { pollUntil } from './poll-until';

/** How pg_ctl stops a server: 'fast' rolls back and checkpoints, 'immediate' is a crash. */
export type PostgresStopMode = 'smart' | 'fast' | 'immediate';

export interface TestPostgresServer {
  /** Superuser `postgres`, trust auth, database `postgres`, over TCP on 127.0.0.1. */
  url: string;
  port: number;
  /**
   * `pg_ctl restart`: 'immediate' kills every backend without a checkpoint (WAL recovery at the
   * start, as after a crash), 'fast' rolls back open transactions and checkpoints.
   */
  restart(opts?: { mode?: PostgresStopMode }): Promise<void>;
  /** `pg_ctl stop`; the data stays for `start()`. */
  stop(opts?: { mode?: PostgresStopMode }): Promise<void>;
  /** `pg_ctl start` again on the same port, once ready for connections. */
  start(): Promise<void>;
  /** A signal to the postmaster (SIGKILL: the host lost it); resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it (immediate) and removes its data. */
  dispose(): Promise<void>;
}

export class PostgresBinariesMissingError extends Error {
  readonly code = 'TESTING.POSTGRES_BINARIES_MISSING';
  constructor() {
    super(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found via `pg_config --bindir` or ' +
        '/usr/lib/postgresql/*/bin: install them (apt-get install -y postgresql)',
    );
    this.name = 'PostgresBinariesMissingError';
  }
}

/** The folder of initdb / pg_ctl / postgres, newest major first; null when not installed. */
export function postgresBinDir(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config may belong to the client package only: look at Debian's layout too.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const major of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(join(debian, major, 'bin'));
    }
  }
  return (
    candidates.find((d) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(d, b)))) ??
    null
  );
}

/**
 * PostgreSQL refuses to run as root: as root (CI, this machine) the binaries run as the `postgres`
 * account, which must exist; otherwise as the current user.
 */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Settings for a throwaway server. fsync off: the host does not crash in these tests, so what a
 * server wrote survives its own crash (immediate stop, SIGKILL) in the page cache; commits stay
 * synchronous, or an immediate stop would drop acknowledged transactions (a test artefact).
 */
const SETTINGS = [
  'fsync=off',
  'full_page_writes=off',
  'shared_buffers=32MB',
  'max_connections=60',
  // Its log ends up in failure messages: no failing statement, no DETAIL (a key's value).
  'log_min_error_statement=panic',
  'log_error_verbosity=terse',
];

/**
 * A PostgreSQL server of its own for a test that stops, restarts or kills it (the machine's
 * shared server must not be touched): initdb in a temp dir (about 1.7 s here, --no-sync), trust
 * auth, TCP on 127.0.0.1 at a free port, its unix socket in the temp dir. Throws
 * PostgresBinariesMissingError when the binaries are missing: see `postgresBinDir()` to skip.
 */
export async function startPostgresServer(): Promise<TestPostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new PostgresBinariesMissingError();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'og-pg-'));
  if (user) chownSync(root, user.uid, user.gid);
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const port = await freePort();
  const run = (tool: string, args: string[], timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        join(bin, tool),
        args,
        {
          ...(user ?? {}),
          cwd: root,
          timeout: timeoutMs,
          // The server's own locale and messages: English and stable, whatever the host's.
          env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', PGDATA: data },
        },
        (e, stdout, stderr) =>
          e
            ? reject(new Error(`${tool} failed: ${e.message} ${stderr} ${tail(log)}`))
            : resolve(stdout),
      );
    });
  const options = [`-p ${port}`, `-k ${root}`, `-h 127.0.0.1`, ...SETTINGS.map((s) => `-c ${s}`)];
  let pid: number | null = null;
  const started = () => {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // pg_ctl detaches the postmaster: Jest's global teardown kills it if a failed test did not.
    registerChild(pid);
  };
  const stopped = () => {
    unregisterChild(pid ?? undefined);
    pid = null;
  };

  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const start = async () => {
    await run('pg_ctl', [
      'start',
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-t',
      '60',
      '-o',
      options.join(' '),
    ]);
    started();
  };
  const stop = async ({ mode = 'fast' }: { mode?: PostgresStopMode } = {}) => {
    if (pid === null) return;
    await run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '60']);
    stopped();
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    restart: async ({ mode = 'fast' }: { mode?: PostgresStopMode } = {}) => {
      stopped();
      // pg_ctl restart starts it again with the options it was started with (postmaster.opts).
      await run('pg_ctl', ['restart', '-D', data, '-l', log, '-m', mode, '-w', '-t', '60']);
      started();
    },
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      const p = pid;
      if (p === null) return;
      process.kill(p, signal);
      await pollUntil(() => !alive(p), { what: `postmaster ${p} to exit`, timeoutMs: 30_000 });
      stopped();
      // pg_ctl detached the postmaster, so PID 1 reaps it, in its own time: until then its zombie
      // answers kill(pid, 0), and the next start takes the stale lock files as held (seen here).
      if (signal === 'SIGKILL') {
        for (const lock of [join(data, 'postmaster.pid'), join(root, `.s.PGSQL.${port}.lock`)]) {
          rmSync(lock, { force: true });
        }
      }
    },
    dispose: async () => {
      await stop({ mode: 'immediate' }).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Running: a zombie (exited, not yet reaped by PID 1) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = existsSync(`/proc/${pid}/status`)
    ? readFileSync(`/proc/${pid}/status`, 'utf8')
    : '';
  return !/^State:\s+Z/m.test(status);
}

/** The server log's last lines, for a failure message (terse: no statements, no values). */
function tail(log: string): string {
  if (!existsSync(log)) return '';
  return `(server log: ${readFileSync(log, 'utf8').trim().split('\n').slice(-5).join(' | ')})`;
}
