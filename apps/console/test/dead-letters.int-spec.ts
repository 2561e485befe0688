import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { BusConsumers, BusModule, BusPublisher, PermanentError, Streams } from '@omnigate/bus';
import type { DeadLetterPage } from '@omnigate/bus';
import { JsonLogger, KitModule } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const Probe = z.object({ n: z.number() });

describe('console: dead letters for an operator', () => {
  let h: ConsoleHarness;
  let bus: TestingModule;
  let token: string;

  beforeAll(async () => {
    h = await startConsole();
    bus = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: h.nats.url, name: 'dlq-test' })],
    })
      .setLogger(new JsonLogger('dlq-test', 'error'))
      .compile();
    await bus.init();
    token = await h.login();
  });
  afterAll(async () => {
    await bus?.close();
    await h?.stop();
  });

  const page = async (query = ''): Promise<DeadLetterPage> => {
    const res = await h.call('GET', `/api/dead-letters${query}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as DeadLetterPage;
  };

  it('is empty while nothing failed', async () => {
    expect(await page()).toEqual({ entries: [], total: 0 });
  });

  it('lists what a consumer gave up on, newest first, with the reason', async () => {
    await bus.get(BusConsumers).start({
      stream: Streams.MSG_STATUS.name,
      durable: 'dlq-probe',
      filterSubject: 'msg.status.v1.telegram',
      schema: Probe,
      handle: async (p) => {
        throw new PermanentError('PROBE.INVALID', `message ${p.n} can never be handled`);
      },
    });
    const pub = bus.get(BusPublisher);
    for (const n of [1, 2, 3]) {
      await pub.publish('msg.status.v1.telegram', Probe, { n }, { msgId: randomUUID() });
    }
    const full = await pollUntil(async () => ((await page()).total === 3 ? page() : undefined), {
      what: 'three dead letters',
    });
    expect(full.entries.map((e) => JSON.parse(e.payload) as { n: number })).toEqual([
      { n: 3 },
      { n: 2 },
      { n: 1 },
    ]);
    expect(full.entries[0]).toMatchObject({
      type: 'omnigate.dlq.entry.v1',
      stream: 'MSG_STATUS',
      consumer: 'dlq-probe',
      subject: 'msg.status.v1.telegram',
      deliveryCount: 1,
      error: { code: 'PROBE.INVALID', message: 'message 3 can never be handled' },
    });
    const one = await page('?limit=1');
    expect(one.total).toBe(3);
    expect(one.entries).toHaveLength(1);
  });

  it('refuses a bad limit and a missing token', async () => {
    for (const q of ['?limit=0', '?limit=201', '?limit=abc']) {
      const err = await errorOf(await h.call('GET', `/api/dead-letters${q}`, { token }));
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    }
    expect((await errorOf(await h.call('GET', '/api/dead-letters'))).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await h.call('GET', '/docs-json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths).toHaveProperty('/api/dead-letters');
  });
});
