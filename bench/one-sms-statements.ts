/**
 * `node -r @swc-node/register bench/one-sms-statements.ts [out.md]`: the database statements of ONE
 * inbound SMS, webhook to console, in order, each as its shape (no value) with the code that sent
 * it. Two messages from one new number: the first opens the conversation, the second is the steady
 * state the bench mostly measures. Each list is split where the console received the message:
 * what follows is the work it set off (bot reply, its send and status callbacks).
 * Runs the system as the bench does (bench/system.ts: npm start's setup, or PostgreSQL with DATABASE_URL),
 * encryption at rest on unless BENCH_ENCRYPTION=off.
 */
import { writeFileSync } from 'node:fs';
import twilio from 'twilio';
import type { TracedStatement } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { post } from './load';
import { collectStatements } from './statement-stats';
import { SETUP_LABELS, settle, startSystem } from './system';
import type { System } from './system';
import { descendants, labelOf } from './process-cpu';

const OUR_NUMBER = '+390212345678';
const FROM = '+393471112233';

interface Traced extends TracedStatement {
  process: string;
}

/** Every process's trace, merged in time order (one clock per process: in order within each). */
async function traces(sys: System): Promise<Traced[]> {
  const labels = new Map(
    descendants(sys.pid).map((s) => [s.pid, labelOf(s, sys.pid, sys.separate)]),
  );
  const out: Traced[] = [];
  for (const [pid, dump] of await collectStatements(sys.statsDir)) {
    const process = labels.get(pid) ?? `pid ${pid}`;
    for (const t of dump.statements.trace ?? []) out.push({ ...t, process });
  }
  return out.sort((a, b) => a.at - b.at);
}

const key = (t: Traced) => `${t.process}:${t.seq}`;

async function sendOne(sys: System, n: number, text: string): Promise<void> {
  const params: Record<string, string> = {
    MessageSid: `SM${String(n).padStart(32, '0')}`,
    AccountSid: 'AC' + '0'.repeat(32),
    From: FROM,
    To: OUR_NUMBER,
    Body: text,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  let seen = false;
  sys.onEvent((t) => (seen ||= t === text));
  const status = await post(sys.smsUrl, new URLSearchParams(params).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(sys.authToken, sys.smsUrl, params),
  });
  if (status !== 200) throw new Error(`the webhook answered ${status}`);
  await pollUntil(() => seen, { timeoutMs: 15_000, what: `message ${n} on the console` });
}

/**
 * Until no process has sent a statement for 2 s: the provider's delivery callback comes after the
 * send, when the streams have already settled.
 */
async function quiet(sys: System): Promise<void> {
  let last = -1;
  let since = performance.now();
  await pollUntil(
    async () => {
      const n = (await traces(sys)).length;
      if (n !== last) [last, since] = [n, performance.now()];
      return performance.now() - since >= 2000;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'the database to be quiet' },
  ).catch(() => console.log('(statements kept coming for 30 s)'));
}

/** One message's statements: those before the console had it, then those it set off. */
async function measure(sys: System, n: number, text: string): Promise<string[]> {
  const done = new Set((await traces(sys)).map(key));
  await sendOne(sys, n, text);
  const path = (await traces(sys)).filter((t) => !done.has(key(t)));
  await settle(sys);
  await quiet(sys);
  const pathKeys = new Set(path.map(key));
  const after = (await traces(sys)).filter((t) => !done.has(key(t)) && !pathKeys.has(key(t)));
  const row = (t: Traced, i: number) =>
    `| ${i + 1} | ${t.process} | ${t.ms} | \`${t.shape.replace(/\|/g, '\\|')}\` | ${t.caller} |`;
  return [
    `${path.length} statements until the console received it, ${after.length} after (what it set off):`,
    '',
    '| # | process | ms | statement (shape, no values) | sent from (innermost first) |',
    '|---:|---|---:|---|---|',
    ...path.map(row),
    `| | | | **the console has the message** | |`,
    ...after.map((t, i) => row(t, path.length + i)),
    '',
  ];
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'artifacts/one-sms-statements.md';
  const encryption = process.env.BENCH_ENCRYPTION === 'off' ? 'off' : 'on';
  const sys = await startSystem({ encryption, traceStatements: true });
  try {
    await settle(sys);
    const lines = [
      `# The statements of one inbound SMS (${SETUP_LABELS[sys.setup]}, encryption at rest ${encryption})`,
      '',
      '## First message from a new number',
      '',
      ...(await measure(sys, 1, 'Ciao, la mia carta è bloccata')),
      '## Second message, same number and conversation',
      '',
      ...(await measure(sys, 2, 'Ciao, la mia carta è ancora bloccata')),
    ];
    writeFileSync(out, lines.join('\n') + '\n');
    console.log(lines.join('\n'));
  } finally {
    await sys.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('failed:', e);
    process.exit(1);
  },
);
