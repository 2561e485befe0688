/**
 * `npm start`: the whole system on one machine with embedded defaults, one process per app, as
 * production runs it. Without DATABASE_URL the database is PGlite in a process of its own
 * (tools/pglite-server.ts), which the apps reach over the PostgreSQL protocol on loopback; with
 * it, PostgreSQL. `npm start -- --one-process` runs every app in this process instead (with
 * DATABASE_URL or on PGlite opened here: a debugger sees every app at once). Uses the NATS at
 * NATS_URL, or spawns nats-server with its data under .data/nats.
 */
import { spawn } from 'node:child_process';
import { resolve, join } from 'node:path';
import { SignJWT } from 'jose';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import { ConfigError, startTracing, withinGrace } from '@omnigate/kit';
import { totpUri } from '@omnigate/crypto';
import { bootstrap as startSandbox } from '../apps/sandbox/src/bootstrap';
import { bootstrap as startRouter } from '../apps/router/src/bootstrap';
import { bootstrap as startSms } from '../apps/gateway-sms/src/bootstrap';
import { bootstrap as startInapp } from '../apps/gateway-inapp/src/bootstrap';
import { bootstrap as startConsole } from '../apps/console/src/bootstrap';
import { bootstrap as startWhatsApp } from '../apps/gateway-whatsapp/src/bootstrap';
import { bootstrap as startTelegram } from '../apps/gateway-telegram/src/bootstrap';
import { bootstrap as startEmail } from '../apps/gateway-email/src/bootstrap';
import { bootstrap as startVault } from '../apps/vault/src/bootstrap';
import { DEFAULT_PORTS, DEV_OUR_NUMBER, devEnv, appEnv, loadDevSecrets } from './dev-env';
import { WEB_DIST_DIR, buildConsoleWeb } from './web-build';
import { describeMigration, runMigrate } from './migrate.command';
import { startPgliteServerProcess } from './pglite-server.runner';
import type { PgliteServerProcess } from './pglite-server.runner';

interface Running {
  name: string;
  url: string;
  /** The management server (/metrics); none for the sandbox. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

/**
 * Each app's management port (/metrics) on one machine: MANAGEMENT_PORT_BASE (default 9100) plus
 * its place here. In one process every port shows the same registry (the whole process's metrics).
 */
const MANAGEMENT_OFFSETS: Record<string, number> = {
  console: 0,
  'gateway-sms': 1,
  'gateway-inapp': 2,
  router: 3,
  'gateway-telegram': 4,
  'gateway-whatsapp': 5,
  'gateway-email': 6,
  vault: 7,
};

function withManagementPort(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const offset = MANAGEMENT_OFFSETS[name];
  if (offset === undefined) return env;
  const base = Number(process.env.MANAGEMENT_PORT_BASE ?? 9100);
  return { ...env, MANAGEMENT_PORT: String(base + offset) };
}

async function main(): Promise<void> {
  // One tracer provider for every app of this process: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  await startTracing('omnigate');
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const secrets = await loadDevSecrets(dataDir);
  process.stdout.write('building the console web UI... ');
  buildConsoleWeb();
  console.log(WEB_DIST_DIR);
  let nats: TestNatsServer | null = null;
  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    nats = await startNatsServer({
      dir: join(dataDir, 'nats'),
      port: Number(process.env.NATS_PORT ?? 4322),
    });
    natsUrl = nats.url;
  }
  const ports = {
    console: Number(process.env.CONSOLE_PORT ?? DEFAULT_PORTS.console),
    sms: Number(process.env.SMS_GATEWAY_PORT ?? DEFAULT_PORTS.sms),
    inapp: Number(process.env.INAPP_GATEWAY_PORT ?? DEFAULT_PORTS.inapp),
    router: Number(process.env.ROUTER_PORT ?? DEFAULT_PORTS.router),
    sandbox: Number(process.env.SANDBOX_PORT ?? DEFAULT_PORTS.sandbox),
    whatsapp: Number(process.env.WHATSAPP_GATEWAY_PORT ?? DEFAULT_PORTS.whatsapp),
    telegram: Number(process.env.TELEGRAM_GATEWAY_PORT ?? DEFAULT_PORTS.telegram),
    email: Number(process.env.EMAIL_GATEWAY_PORT ?? DEFAULT_PORTS.email),
    emailSmtp: Number(process.env.EMAIL_SMTP_PORT ?? DEFAULT_PORTS.emailSmtp),
    smtpSink: Number(process.env.SANDBOX_SMTP_PORT ?? DEFAULT_PORTS.smtpSink),
    vault: Number(process.env.VAULT_PORT ?? DEFAULT_PORTS.vault),
  };
  const env = devEnv({
    natsUrl,
    dataEnv: { DATA_DIR: dataDir },
    secrets,
    ports,
    base: process.env,
  });

  const mode = launchMode(process.argv, env);
  const separate = mode !== 'one-process';
  // PGlite in its own process: one core for the database, the others for the apps, instead of
  // every app and the database sharing one event loop. Each app logs in as its own role (appEnv).
  let pglite: PgliteServerProcess | null = null;
  if (mode === 'pglite-server') {
    try {
      pglite = await startPgliteServerProcess({
        dataDir,
        host: '127.0.0.1',
        port: Number(process.env.PGLITE_PORT ?? 5433),
        env: process.env,
      });
    } catch (e) {
      console.error(explain(e));
      await nats?.stop();
      process.exit(1);
    }
    env.DATABASE_URL = pglite.url;
  }
  // Apps never run DDL: the schema, roles and grants come first, as a Job would in production.
  try {
    console.log(describeMigration(await runMigrate(env)));
  } catch (e) {
    console.error(`migrate failed: ${explain(e)}`);
    await pglite?.stop();
    await nats?.stop();
    process.exit(1);
  }
  const running: Running[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const app of running.reverse()) await app.close().catch(() => undefined);
    // After the apps: their last statements (shutdown hooks) still find the database.
    await pglite?.stop();
    await nats?.stop();
    process.exit(code);
  };
  // `on`, not `once`: each Nest app re-raises the signal after its own shutdown hooks, and that
  // second signal must not kill the launcher before it has stopped the nats-server it spawned.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    for (const [name, start] of [
      ['sandbox', startSandbox],
      ['router', startRouter],
      ['vault', startVault],
      ['gateway-sms', startSms],
      ['gateway-inapp', startInapp],
      ['gateway-whatsapp', startWhatsApp],
      ['gateway-telegram', startTelegram],
      ['gateway-email', startEmail],
      ['console', startConsole],
    ] as const) {
      // A gateway on the kit gets no database URL, data key or card key (appEnv).
      const own = withManagementPort(name, appEnv(name, env));
      if (separate) {
        running.push(await startProcess(name, own));
        continue;
      }
      const app = await start(own).catch((e: unknown) => {
        throw new Error(`${name} did not start: ${explain(e)}`);
      });
      running.push({ name, url: app.url, metricsUrl: app.managementUrl, close: () => app.close() });
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    await shutdown(1);
    return;
  }

  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('app-giulia')
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(Buffer.from(secrets.inappJwtSecret));
  const byName = Object.fromEntries(running.map((r) => [r.name, r.url]));
  const metricsOf = Object.fromEntries(
    running.flatMap((r) => (r.metricsUrl ? [[r.name, r.metricsUrl] as const] : [])),
  );
  console.log(
    [
      '',
      'Omnigate is running (Ctrl-C to stop)',
      `  NATS            ${natsUrl}${nats ? `  (spawned, data in ${join(dataDir, 'nats')})` : ''}`,
      `  database        ${describeDatabase(pglite, env, dataDir)}`,
      `  console         ${byName.console}/   (web UI; API ${byName.console}/api, docs ${byName.console}/docs, live socket.io ${byName.console}/live)`,
      `  SMS gateway     ${byName['gateway-sms']}/webhooks/twilio/sms`,
      `  in-app gateway  ${byName['gateway-inapp']}  (socket.io)`,
      `  WhatsApp        ${byName['gateway-whatsapp']}/webhooks/whatsapp  (Cloud API mode, the sandbox plays Meta)`,
      `  Telegram        ${byName['gateway-telegram']}/webhooks/telegram  (webhook mode, the sandbox plays the Bot API)`,
      `  email gateway   smtp://${env.HOST}:${env.EMAIL_SMTP_PORT}  (our MX for @${env.EMAIL_DOMAINS}; replies go to the sandbox's SMTP sink on ${env.SANDBOX_SMTP_PORT})`,
      `  router          ${byName.router}/health`,
      `  metrics         ${metricsOf.router}/metrics  (each app's management port: ${Object.entries(
        metricsOf,
      )
        .map(([n, u]) => `${n} ${new URL(u).port}`)
        .join(', ')})`,
      `  card vault      ${byName.vault}/health  (opens the cards the gateways sealed; npm run vault:keygen / vault:rotate)`,
      `  sandbox         ${byName.sandbox}  (Twilio API + core banking)`,
      `  customer sim    ${byName.sandbox}/simulator  (play a customer on SMS, WhatsApp, Telegram, email, in-app)`,
      '',
      `  agent login     alice / ${secrets.agentPassword}   (secrets in ${join(dataDir, 'dev-secrets.json')})`,
      `                  bruno / ${secrets.agentPassword} (agent, onboarding queue only)`,
      `                  sam / ${secrets.supervisorPassword} (supervisor: approvals, reveal a card)   ada / ${secrets.adminPassword} (admin: audit log, reveal a card)`,
      `                  dora / ${secrets.dpoPassword} (dpo: export, erasure, audit)`,
      `  second factor   sam, ada and dora also give a 6-digit code: npm run console:account -- code sam`,
      ...Object.entries(secrets.consoleTotpSecrets).map(
        ([id, secret]) =>
          `                  ${id.padEnd(5)} ${totpUri('Omnigate dev', id, secret)}  (add to an authenticator app)`,
      ),
      `  send an SMS     curl -s -XPOST ${byName.sandbox}/sandbox/twilio/inbound -H 'content-type: application/json' \\`,
      `                    -d '{"from":"+393471234567","to":"${DEV_OUR_NUMBER}","body":"La mia carta è bloccata"}'`,
      `  send a WhatsApp curl -s -XPOST ${byName.sandbox}/sandbox/whatsapp/inbound -H 'content-type: application/json' \\`,
      `                    -d '{"from":"+393471234567","name":"Giulia Rossi","text":"Ciao, ho un problema con la carta"}'`,
      `  on Telegram     curl -s -XPOST ${byName.sandbox}/sandbox/telegram/updates -H 'content-type: application/json' \\`,
      `                    -d '{"from":{"id":81234567,"firstName":"Giulia"},"contact":{"phoneNumber":"393471234567"}}'`,
      `                  then the same with  "text":"la mia carta è bloccata"  instead of "contact"`,
      `  send an email   curl -s -XPOST ${byName.sandbox}/sandbox/email/inbound -H 'content-type: application/json' \\`,
      `                    -d '{"from":"giulia.rossi@example.it","to":"${env.EMAIL_FROM}","subject":"Carta bloccata","text":"La mia carta è bloccata","dkim":true}'`,
      `                  what our replies look like: curl -s ${byName.sandbox}/sandbox/email/messages`,
      `  app token       (app user app-giulia, 12 h) ${token}`,
      '',
    ].join('\n'),
  );
}

const PORT_KEYS: Record<string, string> = {
  sandbox: 'SANDBOX_PORT',
  router: 'ROUTER_PORT',
  vault: 'VAULT_PORT',
  'gateway-sms': 'SMS_GATEWAY_PORT',
  'gateway-inapp': 'INAPP_GATEWAY_PORT',
  'gateway-whatsapp': 'WHATSAPP_GATEWAY_PORT',
  'gateway-telegram': 'TELEGRAM_GATEWAY_PORT',
  'gateway-email': 'EMAIL_GATEWAY_PORT',
  console: 'CONSOLE_PORT',
};

/**
 * How long an app process may take to stop before the launcher kills it: its own grace periods
 * are 10 s. Ctrl-C also stops the spawned nats-server at once, and an app whose hooks are done may
 * then stay up reconnecting to it (seen with the router).
 */
const APP_STOP_GRACE_MS = 15_000;

/** One app in its own Node process (its main.ts), ready when its /health says so. */
async function startProcess(name: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const main = join(__dirname, '..', 'apps', name, 'src', 'main.ts');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    env,
    stdio: 'inherit',
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://${env.HOST ?? '127.0.0.1'}:${env[PORT_KEYS[name]!]}`;
  await pollUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
      return (await fetch(`${url}/health`).catch(() => null))?.ok;
    },
    { timeoutMs: 60_000, what: `${name} to be ready` },
  );
  const port = MANAGEMENT_OFFSETS[name] === undefined ? null : env.MANAGEMENT_PORT;
  return {
    name,
    url,
    metricsUrl: port ? `http://${env.MANAGEMENT_HOST ?? env.HOST ?? '127.0.0.1'}:${port}` : null,
    close: async () => {
      // An app that re-raised Ctrl-C's SIGINT after its shutdown hooks ended by that signal: it has
      // no exit code, and its 'exit' event has passed.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // Past this the launcher must still get to stop the database process and the nats-server.
      if (!(await withinGrace(exited, APP_STOP_GRACE_MS))) child.kill('SIGKILL');
    },
  };
}

/**
 * How this run places the database and the apps: PGlite in a process of its own (the default),
 * PostgreSQL at DATABASE_URL, or `--one-process` (every app in this process; the old default).
 */
function launchMode(
  argv: string[],
  env: NodeJS.ProcessEnv,
): 'pglite-server' | 'postgres' | 'one-process' {
  if (argv.includes('--one-process')) return 'one-process';
  if (env.DATABASE_URL) return 'postgres';
  return 'pglite-server';
}

function describeDatabase(
  pglite: PgliteServerProcess | null,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): string {
  const folder = join(dataDir, 'pgdata');
  if (pglite) {
    return `PGlite in ${folder}, its own process, at ${pglite.url}  (each app logs in as its role)`;
  }
  return env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${folder}, in this process`;
}

function explain(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') {
    return `A port is already in use (${err.message}). Set MANAGEMENT_PORT_BASE (9100-9107), CONSOLE_PORT, SMS_GATEWAY_PORT, INAPP_GATEWAY_PORT, WHATSAPP_GATEWAY_PORT, TELEGRAM_GATEWAY_PORT, EMAIL_GATEWAY_PORT, EMAIL_SMTP_PORT, SANDBOX_SMTP_PORT, ROUTER_PORT, VAULT_PORT, SANDBOX_PORT or PGLITE_PORT.`;
  }
  return `Omnigate could not start: ${err?.message ?? String(e)}`;
}

main().catch((e: unknown) => {
  console.error(explain(e));
  process.exit(1);
});
