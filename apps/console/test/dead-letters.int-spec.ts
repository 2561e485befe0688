import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import {
  BusModule,
  BusPublisher,
  NatsConnection,
  PermanentError,
  Streams,
  startDurableConsumer,
} from '@omnigate/bus';
import { DEAD_LETTER_V1, Subjects } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { JsonLogger, KitModule } from '@omnigate/kit';
import type { AuditRow } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';
import { runDlqRedrive } from '../../../tools/dlq-redrive.command';
import type {
  DeadLetterViewPage,
  RedriveResponse,
} from '../src/operations/dead-letters.controller';

const Probe = z.object({ n: z.number(), to: z.string(), text: z.string() });
const PW = 'a-long-test-password';
const PEOPLE = { alice: 'agent', sam: 'supervisor', ada: 'admin' } as const;
type Person = keyof typeof PEOPLE;
const PHONE = '+393471234567';
const BODY = 'la mia carta 4111 è bloccata, abito in Via Roma 12';

/**
 * Issue 13 item 6: dead letters carry raw payloads (phone numbers, bodies). Only supervisors and
 * admins read them, masked, and every read and redrive is audited; a redrive puts the original
 * message back on its stream, never what a (possibly forged) entry says.
 */
describe('console: dead letters for an operator', () => {
  let h: ConsoleHarness;
  let bus: TestingModule;
  const tokens = {} as Record<Person, string>;
  /** Message numbers the probe consumer refuses (a bug, fixed before the redrive). */
  const refusing = new Set([1, 2, 3]);
  const handled: number[] = [];

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: Object.keys(PEOPLE)
        .map((id) => `${id}:${PW}`)
        .join(','),
      CONSOLE_ROLES: 'sam:supervisor,ada:admin',
    });
    bus = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: h.nats.url, name: 'dlq-test' })],
    })
      .setLogger(new JsonLogger('dlq-test', 'error'))
      .compile();
    await bus.init();
    for (const who of Object.keys(PEOPLE) as Person[]) {
      const res = await h.call('POST', '/api/login', { body: { agentId: who, password: PW } });
      tokens[who] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(async () => {
    await bus?.close();
    await h?.stop();
  });

  const as = (who: Person, method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: tokens[who], body });
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
    expect((await errorOf(await h.call('GET', '/api/dead-letters'))).status).toBe(401);
  });

  it('shows a supervisor what failed and why, masked: no phone number or body in clear', async () => {
    await startDurableConsumer(bus.get(NatsConnection), {
      stream: Streams.MSG_STATUS.name,
      durable: 'dlq-probe',
      filterSubject: 'msg.status.v1.telegram',
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
        'msg.status.v1.telegram',
        Probe,
        { n, to: PHONE, text: BODY },
        {
          msgId: randomUUID(),
        },
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
      stream: 'MSG_STATUS',
      consumer: 'dlq-probe',
      subject: 'msg.status.v1.telegram',
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

  it('redrives one entry by id, then the rest: the originals are handled, the DLQ empties, each redrive audited', async () => {
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

    const all = (await (
      await as('ada', 'POST', '/api/dead-letters/redrive', { all: true, stream: 'MSG_STATUS' })
    ).json()) as RedriveResponse;
    expect(all.redriven).toBe(2);
    await pollUntil(() => handled.length === 3, { what: 'all three handled' });
    expect(handled.sort()).toEqual([1, 2, 3]);
    expect(await page()).toEqual({ entries: [], total: 0 });
  });

  it('refuses a forged entry: what is published is the original from its stream, or nothing', async () => {
    // A service may write dead letters on its own dlq subject: this one claims that a message of
    // the status stream was an in-app message (a subject that vouches for an app login).
    const jsm = await bus.get(NatsConnection).manager();
    const status = await jsm.streams.info(Streams.MSG_STATUS.name);
    const forged: DeadLetterV1 = {
      type: DEAD_LETTER_V1,
      version: 1,
      stream: 'MSG_STATUS',
      consumer: 'dlq-probe',
      subject: 'msg.in.v1.inapp',
      streamSeq: status.state.last_seq,
      deliveryCount: 1,
      error: { code: 'X.FORGED', message: 'forged' },
      payload: JSON.stringify({ appLogin: 'someone-else' }),
      at: new Date().toISOString(),
    };
    const js = bus.get(NatsConnection).jetstream();
    await js.publish(Subjects.deadLetter('MSG_STATUS', 'dlq-probe'), JSON.stringify(forged), {
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

  it('npm run dlq:redrive lists entries without payloads, redrives by id and --all, and is audited', async () => {
    const cli = async (...args: string[]) => {
      const lines: string[] = [];
      const code = await runDlqRedrive(args, { ...process.env, ...h.env }, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    refusing.add(9);
    await bus
      .get(BusPublisher)
      .publish(
        'msg.status.v1.telegram',
        Probe,
        { n: 9, to: PHONE, text: BODY },
        { msgId: randomUUID() },
      );
    const [entry] = (
      await pollUntil(async () => ((await page()).total === 3 ? page() : undefined), {
        what: 'the new dead letter',
      })
    ).entries;
    const listed = await cli();
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${entry!.id}  MSG_STATUS/dlq-probe  PROBE.INVALID`);
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

  it('refuses a bad limit or redrive body (400)', async () => {
    for (const q of ['?limit=0', '?limit=201', '?limit=abc']) {
      const err = await errorOf(await as('sam', 'GET', `/api/dead-letters${q}`));
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    }
    for (const body of [{}, { id: -1 }, { all: false }, { all: true, stream: 'DLQ' }]) {
      const err = await errorOf(await as('sam', 'POST', '/api/dead-letters/redrive', body));
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await h.call('GET', '/docs-json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths).toHaveProperty('/api/dead-letters');
    expect(doc.paths).toHaveProperty('/api/dead-letters/redrive');
  });
});
