import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { Streams } from '@omnigate/bus';
import type { RunningHttpApp } from '@omnigate/kit';
import { SmsTraffic, consumerGroupProgress, freePort, pollUntil } from '@omnigate/testing';
import type { GroupProgress } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { bootstrap as startSms } from '../../apps/gateway-sms/src/bootstrap';
import { DEV_OUR_NUMBER, appEnv, devEnv, loadDevSecrets } from '../../tools/dev-env';

const ROOT = join(__dirname, '..', '..');

/** The SMS inbound path for database fault tests: sandbox and gateway here, the router apart. */
export interface SmsRouterSystem {
  env: NodeJS.ProcessEnv;
  traffic: SmsTraffic;
  /** The router's blind-index key: what the store's dedupe keys are computed with. */
  indexKey: Buffer;
  /** How the router process ended, or null while it runs. */
  routerExit(): { code: number | null; signal: string | null } | null;
  /** The router's /health status (0: no answer). */
  health(): Promise<number>;
  /** A counter or gauge of the router's (its management port's /metrics), summed over labels. */
  routerMetric(name: string): Promise<number>;
  /** The router's inbound partitions together (a durable each: no single ack floor). */
  inboundProgress(): Promise<GroupProgress>;
  /** Messages in the dead-letter stream. */
  deadLetters(): Promise<number>;
  close(): Promise<void>;
}

export interface SmsRouterOptions {
  natsUrl: string;
  /** The router's database environment (DATABASE_URL as its own role). */
  dataEnv: Record<string, string>;
  /** Sid tag of this test's traffic (SmsTraffic). */
  tag: number;
  /** Added to every app's environment (log level, the router's ack wait and backoff). */
  base?: NodeJS.ProcessEnv;
}

/**
 * Sandbox and SMS gateway in this process (the gateway holds no database: it answers Twilio
 * whatever PostgreSQL does), the router as a process of its own, so that a test sees whether a
 * database fault makes it exit. Resolves once the router is ready.
 */
export async function startSmsRouterSystem(opts: SmsRouterOptions): Promise<SmsRouterSystem> {
  const secretsDir = mkdtempSync(join(tmpdir(), 'og-sms-router-'));
  const env = devEnv({
    natsUrl: opts.natsUrl,
    dataEnv: opts.dataEnv,
    secrets: await loadDevSecrets(secretsDir),
    ports: {
      console: 0,
      sms: await freePort(),
      inapp: 0,
      router: await freePort(),
      sandbox: await freePort(),
      whatsapp: 0,
      telegram: 0,
      // The sandbox's SMTP sink: never the default port, which `npm start` may hold.
      smtpSink: await freePort(),
    },
    base: { LOG_LEVEL: 'warn', ...opts.base },
  });
  const apps: RunningHttpApp[] = [];
  let router: ChildProcess | null = null;
  let exit: { code: number | null; signal: string | null } | null = null;
  const close = async () => {
    router?.kill('SIGKILL');
    for (const app of apps.reverse()) await app.close();
    rmSync(secretsDir, { recursive: true, force: true });
  };
  const management = await freePort();
  const health = async (): Promise<number> =>
    (await fetch(`http://127.0.0.1:${env.ROUTER_PORT}/health`).catch(() => null))?.status ?? 0;
  try {
    apps.push(await startSandbox(env));
    apps.push(await startSms(appEnv('gateway-sms', env)));
    router = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps', 'router', 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, MANAGEMENT_PORT: String(management), NODE_OPTIONS: '' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    router.once('exit', (code, signal) => (exit = { code, signal }));
    await pollUntil(async () => (await health()) === 200, {
      what: 'the router to be ready',
      // A loaded CI machine may take a while to compile and start a router: wait long.
      timeoutMs: 150_000,
    });
  } catch (e) {
    await close();
    throw e;
  }
  return {
    env,
    traffic: new SmsTraffic({
      sandboxUrl: `http://127.0.0.1:${env.SANDBOX_PORT}`,
      ourNumber: DEV_OUR_NUMBER,
      tag: opts.tag,
    }),
    indexKey: Buffer.from(env.DATA_INDEX_KEY!, 'base64'),
    routerExit: () => exit,
    health,
    routerMetric: async (name) => {
      const res = await fetch(`http://127.0.0.1:${management}/metrics`);
      return (await res.text())
        .split('\n')
        .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    },
    inboundProgress: () => consumerGroupProgress(opts.natsUrl, 'MSG_IN', 'router-inbound'),
    deadLetters: async () => {
      const nc = await connect({ servers: opts.natsUrl, name: 'test-dead-letters' });
      try {
        const jsm = await nc.jetstreamManager();
        return (await jsm.streams.info(Streams.DLQ.name)).state.messages;
      } finally {
        await nc.close();
      }
    },
    close,
  };
}
