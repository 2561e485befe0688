import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerChild, unregisterChild } from './child-registry';
import { pollUntil } from './poll-until';

export interface TestNatsServer {
  url: string;
  port: number;
  /**
   * Stops the server (SIGTERM, or SIGKILL for a crash) and keeps its JetStream dir, so `start()`
   * brings it back with its data.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port after `stop()`. */
  start(): Promise<void>;
  /** Stops and removes everything. */
  dispose(): Promise<void>;
}

/**
 * A throwaway nats-server with JetStream on a random port (nats.js's technique: port -1 plus a
 * ports file), its own temp store dir. Fails with a clear message when nats-server is missing.
 */
export interface NatsServerOptions {
  /** Keep JetStream data here (kept on dispose); default a temp dir removed on dispose. */
  dir?: string;
  /** Fixed port; default random. */
  port?: number;
  /** Appended to the generated config, e.g. deploy/nats/nats-users.conf's contents. */
  extraConfig?: string;
  /** Added to the server's environment (the `$VAR` references of a config, e.g. passwords). */
  env?: Record<string, string>;
  /**
   * The whole config instead of the generated one (a cluster node's, from deploy/nats/cluster),
   * given the port to listen on; `ports_file_dir` is added. `extraConfig` is then ignored.
   */
  config?: (port: number) => string;
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<TestNatsServer> {
  const keep = opts.dir !== undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'og-nats-'));
  mkdirSync(dir, { recursive: true });
  const extraConfig = opts.extraConfig ?? '';
  let port = opts.port ?? -1;
  let proc: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const conf = join(dir, 'nats.conf');
    writeFileSync(
      conf,
      opts.config
        ? `${opts.config(port)}\nports_file_dir: "${dir}"\n`
        : [
            'host: 127.0.0.1',
            `port: ${port}`,
            `ports_file_dir: "${dir}"`,
            'jetstream {',
            `  store_dir: "${join(dir, 'js')}"`,
            '  max_mem: 64MB',
            '  max_file: 1GB',
            '}',
            extraConfig,
          ].join('\n'),
    );
    for (const f of readdirSync(dir)) {
      if (/^nats-server_\d+\.ports$/.test(f)) rmSync(join(dir, f), { force: true });
    }
    const child = spawn('nats-server', ['-c', conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    proc = child;
    // A test that fails before dispose() must not keep the test process alive (Jest runs in band
    // on 2 cores: a referenced child would hang the whole run).
    child.unref();
    (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
    // Never leave a server behind: Jest's global teardown kills what a failed test did not stop.
    registerChild(child.pid);
    child.once('exit', () => unregisterChild(child.pid));
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            e.code === 'ENOENT'
              ? 'nats-server not found on PATH: install it (apt-get install -y nats-server)'
              : `nats-server failed to start: ${e.message}`,
          ),
        ),
      ),
    );
    // Stale ports files (an earlier launch in this dir) were removed before the spawn: removing
    // ours here could delete what a fast server has already written, and we would wait forever.
    const portsFile = join(dir, `nats-server_${child.pid}.ports`);
    // Generous: on a loaded 2-core machine a JetStream server can take seconds to come up.
    const ready = pollUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`nats-server exited: ${fatalLines(stderr)}`);
        if (!existsSync(portsFile)) return undefined;
        const ports = JSON.parse(readFileSync(portsFile, 'utf8')) as { nats?: string[] };
        return ports.nats?.[0];
      },
      { timeoutMs: 30_000, intervalMs: 20, what: 'nats-server ports file' },
    ).catch((e: unknown) => {
      const tail = stderr.trim().split('\n').slice(-5).join(' | ');
      throw new Error(`${(e as Error).message}${tail ? ` (nats-server said: ${tail})` : ''}`);
    });
    const url = await Promise.race([ready, spawnError]);
    port = Number(new URL(url).port);
    await pollUntil(() => canConnect(port), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: 'nats-server port',
    });
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill(signal);
    await exited;
  };

  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    stop,
    start: launch,
    dispose: async () => {
      await stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server's fatal or error lines (e.g. the port in use), not its whole banner. */
function fatalLines(stderr: string): string {
  const bad = stderr.split('\n').filter((l) => /\[(FTL|ERR)\]/.test(l));
  return (bad.length ? bad : stderr.split('\n').slice(-3)).join(' ').trim();
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
