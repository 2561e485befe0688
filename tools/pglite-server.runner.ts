/**
 * Starts tools/pglite-server.ts as a child process and waits until it listens: `npm start`'s
 * embedded database, reached by every app over the PostgreSQL protocol on loopback.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { withinGrace } from '@omnigate/kit';

export interface PgliteServerProcess {
  /** The launcher's DATABASE_URL: PGlite's superuser, for the migration; apps get their role's. */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM and wait: the server closes its clients, then PGlite writes its state to disk. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 60_000;

export async function startPgliteServerProcess(opts: {
  dataDir: string;
  host: string;
  port: number;
  env: NodeJS.ProcessEnv;
}): Promise<PgliteServerProcess> {
  const child = fork(join(__dirname, 'pglite-server.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...opts.env,
      DATA_DIR: opts.dataDir,
      PGLITE_HOST: opts.host,
      PGLITE_PORT: String(opts.port),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A launcher that dies without its shutdown must not leave the database process behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the PGlite server did not start within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    child.once('message', (m: { ready?: number }) => {
      clearTimeout(timer);
      if (typeof m?.ready === 'number') resolve(m.ready);
      else reject(new Error('the PGlite server sent an unexpected message'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the PGlite server exited with code ${code} before it was ready`));
    });
  });
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    pid: child.pid!,
    stop: async () => {
      process.removeListener('exit', orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // PGlite writes its state back as it closes: give it long, but do not hang the launcher.
      if (!(await withinGrace(exited, STOP_GRACE_MS))) child.kill('SIGKILL');
    },
  };
}
