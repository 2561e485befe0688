import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import {
  BusClient,
  BusPublisher,
  NatsConnection,
  PermanentError,
  Streams,
  startDurableConsumer,
} from '@omnigate/bus';
import { DEAD_LETTER_V1, RouterRequests, Subjects } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { AuditLogRepository } from '@omnigate/store';
import type { AuditRow } from '@omnigate/store';
import { databaseEnvAs, metricsUrl, pollUntil } from '@omnigate/testing';
// The console beside a real router, under the deploy's least-privilege NATS users: the console's
// user may only read the DLQ, the router's carries the redrive out. Production code never imports
// another app; a test may start one.
import { startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { errorOf, startConsoleBeside } from './console.harness';
import type { ConsoleBeside } from './console.harness';
import { runDlqRedrive } from '../../../tools/dlq-redrive.command';
import type {
  DeadLetterViewPage,
  RedriveResponse,
} from '../src/operations/dead-letters.controller';

const Probe = z.object({ n: z.number(), to: z.string(), text: z.string() });
const PEOPLE = { alice: 'agent', sam: 'supervisor', ada: 'admin' } as const;
type Person = keyof typeof PEOPLE;
const PASSWORDS: Record<Person, string> = {
  alice: 'a-long-test-password-alice',
  sam: 'a-long-test-password-sam',
  ada: 'a-long-test-password-ada',
};
const PHONE = '+393471234567';
const BODY = 'la mia carta 4111 è bloccata, abito in Via Roma 12';
/** Nobody but the probe consumes it here (no telegram gateway runs; the router never reads MSG_OUT). */
const PROBE_SUBJECT = 'msg.out.v1.telegram';

/**
 * Issue 13 item 6: dead letters carry raw payloads (phone numbers, bodies). Only supervisors and
 * admins read them, masked, and every read and redrive is audited; a redrive puts the original
 * message back on its stream, never what a (possibly forged) entry says. Under the deploy's NATS
 * users the console may not publish originals nor delete entries: it asks the router
 * (rpc.v1.router.redrive_dead_letters), which checks the role again and audits what it did.
 */
describe('console: dead letters for an operator, redriven by the router', () => {
  let sys: RouterSystem;
  let cons: ConsoleBeside;
  let bus: TestingModule;
  const tokens = {} as Record<Person, string>;
  /** Message numbers the probe consumer refuses (a bug, fixed before the redrive). */
  const refusing = new Set([1, 2, 3]);
  const handled: number[] = [];

  beforeAll(async () => {
    sys = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false' }, { natsUsers: true });
    cons = await startConsoleBeside(sys, PASSWORDS, {
      CONSOLE_ROLES: 'sam:supervisor,ada:admin',
      ...sys.natsEnvOf('console'),
    });
    // The test's own bus (all rights): it plays the services that write dead letters.
    bus = sys.bus;
    for (const who of Object.keys(PEOPLE) as Person[]) tokens[who] = await cons.login(who);
  });
  afterAll(async () => {
    await cons?.app.close();
    await sys?.close();
  });

  const as = (who: Person, method: string, path: string, body?: unknown) =>
    cons.call(tokens[who], method, path, body);
  const page = async (query = ''): Promise<DeadLetterViewPage> => {
    const res = await as('sam', 'GET', `/api/dead-letters${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as DeadLetterViewPage;
  };
  const latestAudit = async (action: string): Promise<AuditRow> => {
    const res = await as('ada', 'GET', `/api/audit?action=${action}&limit=1`);
    const [entry] = ((await res.json()) as { entries: AuditRow[] }).entries;
    expect(entry).toBeDefined();
    return entry!;
  };
  const routerRecords = async (action: string): Promise<AuditRow[]> =>
    (await sys.router.app.get(AuditLogRepository).recent(100)).filter((a) => a.action === action);

  it('is empty while nothing failed', async () => {
    expect(await page()).toEqual({ entries: [], total: 0 });
  });

  it('refuses an agent, reading or redriving (403), and records the refusal', async () => {
    const read = await errorOf(await as('alice', 'GET', '/api/dead-letters'));
    expect(read).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    const redrive = await errorOf(
      await as('alice', 'POST', '/api/dead-letters/redrive', { all: true }),
    );
    expect(redrive).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    expect(await latestAudit('dead_letter.redrive')).toMatchObject({
      actor: 'alice',
      detail: { role: 'agent', all: true, outcome: 'denied' },
    });
    expect((await errorOf(await fetch(`${cons.app.url}/api/dead-letters`))).status).toBe(401);
  });

  it('shows a supervisor what failed and why, masked: no phone number or body in clear', async () => {
    await startDurableConsumer(bus.get(NatsConnection), {
      stream: Streams.MSG_OUT.name,
      durable: 'dlq-probe',
      filterSubject: PROBE_SUBJECT,
      schema: Probe,
      handle: async (p) => {
        if (refusing.has(p.n)) {
          throw new PermanentError('PROBE.INVALID', `message ${p.n} to ${PHONE} refused`);
        }
        handled.push(p.n);
      },
    });
    const pub = bus.get(BusPublisher);
    for (const n of [1, 2, 3]) {
      await pub.publish(
        PROBE_SUBJECT,
        Probe,
        { n, to: PHONE, text: BODY },
        { msgId: randomUUID() },
      );
    }
    const full = await pollUntil(async () => ((await page()).total === 3 ? page() : undefined), {
      what: 'three dead letters',
    });
    const shown = JSON.stringify(full);
    for (const secret of ['3471234567', 'carta', 'Via Roma']) expect(shown).not.toContain(secret);
    expect(full.entries.map((e) => (JSON.parse(e.payload) as { n: number }).n)).toEqual([3, 2, 1]);
    expect(full.entries[0]).toMatchObject({
      type: 'omnigate.dlq.entry.v1',
      stream: 'MSG_OUT',
      consumer: 'dlq-probe',
      subject: PROBE_SUBJECT,
      deliveryCount: 1,
      error: { code: 'PROBE.INVALID', message: 'message 3 to +39 ••• ••• 4567 refused' },
    });
    expect(JSON.parse(full.entries[0]!.payload)).toEqual({
      n: 3,
      to: '•••567',
      text: `••• (${BODY.length} characters)`,
    });
    const one = await page('?limit=1');
    expect(one.total).toBe(3);
    expect(one.entries).toHaveLength(1);
    expect(await latestAudit('dead_letter.list')).toMatchObject({
      actor: 'sam',
      subject: 'dead_letters',
      detail: { role: 'supervisor', outcome: 'ok' },
    });
  });

  it('refuses (attack) an agent role asked of the router directly on the bus: 403 code, audited, nothing redriven', async () => {
    // A compromised or buggy console skipping its role check: the router checks again.
    const asConsole = await sys.busAs('console');
    await expect(
      asConsole.get(BusClient).request(RouterRequests.redriveDeadLetters, {
        all: true,
        actor: { id: 'alice', role: 'agent' },
      }),
    ).rejects.toMatchObject({ code: 'DLQ.REDRIVE_FORBIDDEN' });
    expect((await page()).total).toBe(3);
    expect(handled).toEqual([]);
    const metrics = await (await fetch(`${metricsUrl(sys.router)}/metrics`)).text();
    expect(metrics).toContain('omnigate_router_redrive_requests_total{outcome="forbidden"} 1');
    expect(await routerRecords('dead_letter.redrive.refused')).toEqual([
      expect.objectContaining({
        actor: 'alice',
        subject: 'dead_letters',
        detail: { role: 'agent', all: true, code: 'DLQ.REDRIVE_FORBIDDEN' },
      }),
    ]);
  });

  it('redrives one entry by id, then the rest: the originals are handled, the DLQ empties, each redrive audited by console and router', async () => {
    refusing.clear();
    const [newest] = (await page()).entries;
    const res = await as('sam', 'POST', '/api/dead-letters/redrive', { id: newest!.id });
    expect(res.status).toBe(200);
    const one = (await res.json()) as RedriveResponse;
    expect(one).toMatchObject({ redriven: 1, outcomes: [{ id: newest!.id, result: 'redriven' }] });
    await pollUntil(() => handled.includes(3), { what: 'message 3 handled after the redrive' });
    expect((await page()).total).toBe(2);
    expect(await latestAudit('dead_letter.redrive')).toMatchObject({
      actor: 'sam',
      detail: { role: 'supervisor', id: newest!.id, outcome: 'ok' },
    });
    expect(await latestAudit('dead_letter.redriven')).toMatchObject({
      actor: 'sam',
      subject: 'dead_letters',
      detail: { role: 'supervisor', id: newest!.id, redriven: 1, refused: 0 },
    });

    const all = (await (
      await as('ada', 'POST', '/api/dead-letters/redrive', { all: true, stream: 'MSG_OUT' })
    ).json()) as RedriveResponse;
    expect(all.redriven).toBe(2);
    await pollUntil(() => handled.length === 3, { what: 'all three handled' });
    expect(handled.sort()).toEqual([1, 2, 3]);
    expect(await page()).toEqual({ entries: [], total: 0 });
  });

  it('refuses a forged entry: what is published is the original from its stream, or nothing', async () => {
    // A service may write dead letters on its own dlq subject: this one claims that a message of
    // the outbound stream was an in-app message (a subject that vouches for an app login).
    const jsm = await bus.get(NatsConnection).manager();
    const out = await jsm.streams.info(Streams.MSG_OUT.name);
    const forged: DeadLetterV1 = {
      type: DEAD_LETTER_V1,
      version: 1,
      stream: 'MSG_OUT',
      consumer: 'dlq-probe',
      subject: 'msg.in.v1.inapp',
      streamSeq: out.state.last_seq,
      deliveryCount: 1,
      error: { code: 'X.FORGED', message: 'forged' },
      payload: JSON.stringify({ appLogin: 'someone-else' }),
      at: new Date().toISOString(),
    };
    const js = bus.get(NatsConnection).jetstream();
    await js.publish(Subjects.deadLetter('MSG_OUT', 'dlq-probe'), JSON.stringify(forged), {
      msgID: randomUUID(),
    });
    // And one written on another consumer's dlq subject than the consumer it names.
    await js.publish(Subjects.deadLetter('MSG_OUT', 'gateway-sms-send'), JSON.stringify(forged), {
      msgID: randomUUID(),
    });
    const inBefore = (await jsm.streams.info(Streams.MSG_IN.name)).state.messages;
    const res = (await (
      await as('sam', 'POST', '/api/dead-letters/redrive', { all: true })
    ).json()) as RedriveResponse;
    expect(res.redriven).toBe(0);
    expect(res.outcomes.map((o) => o.result)).toEqual(['DLQ.ENTRY_MISMATCH', 'DLQ.ENTRY_MISMATCH']);
    expect((await jsm.streams.info(Streams.MSG_IN.name)).state.messages).toBe(inBefore);
    expect((await page()).total).toBe(2);
  });

  it('npm run dlq:redrive as the NATS user operator lists entries without payloads, redrives by id and --all, and is audited', async () => {
    const cli = async (...args: string[]) => {
      const lines: string[] = [];
      const env = {
        ...process.env,
        ...databaseEnvAs(sys.db, 'console'),
        NATS_URL: sys.nats.url,
        ...sys.natsEnvOf('operator'),
      };
      const code = await runDlqRedrive(args, env, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    refusing.add(9);
    await bus
      .get(BusPublisher)
      .publish(PROBE_SUBJECT, Probe, { n: 9, to: PHONE, text: BODY }, { msgId: randomUUID() });
    const [entry] = (
      await pollUntil(async () => ((await page()).total === 3 ? page() : undefined), {
        what: 'the new dead letter',
      })
    ).entries;
    const listed = await cli();
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${entry!.id}  MSG_OUT/dlq-probe  PROBE.INVALID`);
    expect(listed.out).not.toContain('3471234567');
    refusing.delete(9);

    expect(await cli('--id', String(entry!.id))).toMatchObject({ code: 0 });
    await pollUntil(() => handled.includes(9), { what: 'message 9 handled after the CLI redrive' });
    const audited = await latestAudit('dead_letter.redrive');
    expect(audited.actor).toMatch(/^cli:/);
    expect(audited.detail).toMatchObject({ via: 'cli', id: entry!.id, redriven: 1, refused: 0 });
    // The two forged entries of the test before stay refused: exit 1.
    const rest = await cli('--all');
    expect(rest.code).toBe(1);
    expect(rest.out).toContain('0 redriven, 2 refused');
    expect((await cli('--id', 'x')).code).toBe(2);
  });

  it('does not redrive a sealed card (the vault’s CARDS stream): 503 BUS.PERMISSION_DENIED naming the fix, the entry stays; "all" leaves it', async () => {
    // A gateway's sealed card and the vault's dead letter of it, written as those services would.
    const js = bus.get(NatsConnection).jetstream();
    const sealed = await js.publish(Subjects.sealedCard('sms'), JSON.stringify({ sealed: 'x' }), {
      msgID: randomUUID(),
    });
    const entry: DeadLetterV1 = {
      type: DEAD_LETTER_V1,
      version: 1,
      stream: 'CARDS',
      consumer: 'vault-cards',
      subject: Subjects.sealedCard('sms'),
      streamSeq: sealed.seq,
      deliveryCount: 1,
      error: { code: 'VAULT.KEY_UNKNOWN', message: 'no key' },
      payload: '{}',
      at: new Date().toISOString(),
    };
    const dead = await js.publish(
      Subjects.deadLetter('CARDS', 'vault-cards'),
      JSON.stringify(entry),
      { msgID: randomUUID() },
    );
    const res = await as('sam', 'POST', '/api/dead-letters/redrive', { id: dead.seq });
    const err = await errorOf(res);
    expect(err).toMatchObject({ status: 503, code: 'BUS.PERMISSION_DENIED' });
    expect(err.message).toContain('tools/nats-permissions.ts');
    expect(err.message).toContain('npm run dlq:redrive');
    const metrics = await (await fetch(`${metricsUrl(sys.router)}/metrics`)).text();
    expect(metrics).toContain(
      'omnigate_router_redrive_requests_total{outcome="BUS.PERMISSION_DENIED"} 1',
    );
    expect(await latestAudit('dead_letter.redrive.failed')).toMatchObject({
      actor: 'sam',
      detail: { role: 'supervisor', id: dead.seq, code: 'BUS.PERMISSION_DENIED' },
    });
    const all = (await (
      await as('sam', 'POST', '/api/dead-letters/redrive', { all: true })
    ).json()) as RedriveResponse;
    expect(all.outcomes.map((o) => o.id)).not.toContain(dead.seq);
    expect((await page()).entries.map((e) => e.id)).toContain(dead.seq);
  });

  it('refuses a bad limit or redrive body (400)', async () => {
    for (const q of ['?limit=0', '?limit=201', '?limit=abc']) {
      const err = await errorOf(await as('sam', 'GET', `/api/dead-letters${q}`));
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    }
    for (const body of [
      {},
      { id: -1 },
      { all: false },
      { all: true, stream: 'DLQ' },
      { all: true, stream: 'CARDS' },
    ]) {
      const err = await errorOf(await as('sam', 'POST', '/api/dead-letters/redrive', body));
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${cons.app.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths).toHaveProperty('/api/dead-letters');
    expect(doc.paths).toHaveProperty('/api/dead-letters/redrive');
  });
});
