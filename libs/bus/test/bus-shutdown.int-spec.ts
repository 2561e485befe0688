import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { BusConsumers, BusModule, BusPublisher, Streams } from '@omnigate/bus';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import { consumerProgress, pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';

const Payload = z.object({ n: z.number() });

async function busModule(url: string, graceMs: number): Promise<TestingModule> {
  const mod = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url, name: 'shutdown-test', shutdownGraceMs: graceMs }),
    ],
  })
    .setLogger(new JsonLogger('shutdown-test', 'warn'))
    .compile();
  await mod.init();
  return mod;
}

describe('libs/bus shutdown', () => {
  let nats: TestNatsServer;
  const logs: string[] = [];
  let restore: ReturnType<typeof setLogSink>;

  beforeAll(async () => {
    restore = setLogSink((l) => logs.push(l));
    nats = await startNatsServer();
  });
  afterAll(async () => {
    setLogSink(restore);
    await nats?.dispose();
  });

  it('never hangs on a handler that does not finish, and its message is redelivered later', async () => {
    const stuck = await busModule(nats.url, 300);
    let started = false;
    await stuck.get(BusConsumers).start({
      stream: Streams.MSG_OUT.name,
      durable: 'shutdown-probe',
      filterSubject: 'msg.out.v1.email',
      schema: Payload,
      ackWaitMs: 1000,
      handle: () => {
        started = true;
        return new Promise<void>(() => undefined); // never settles
      },
    });
    await stuck
      .get(BusPublisher)
      .publish('msg.out.v1.email', Payload, { n: 1 }, { msgId: randomUUID() });
    await pollUntil(() => started, { what: 'the handler to start' });

    const t0 = Date.now();
    await stuck.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(
      logs.some(
        (l) =>
          l.includes('did not stop within the grace period') &&
          l.includes('consumer shutdown-probe'),
      ),
    ).toBe(true);

    // A new instance of the same consumer gets the unacknowledged message again.
    const next = await busModule(nats.url, 2000);
    const seen: number[] = [];
    await next.get(BusConsumers).start({
      stream: Streams.MSG_OUT.name,
      durable: 'shutdown-probe',
      filterSubject: 'msg.out.v1.email',
      schema: Payload,
      ackWaitMs: 1000,
      handle: async (p) => {
        seen.push(p.n);
      },
    });
    await pollUntil(() => seen.length > 0, { what: 'the redelivery', timeoutMs: 10_000 });
    expect(seen).toEqual([1]);
    await pollUntil(
      async () => (await consumerProgress(nats.url, 'MSG_OUT', 'shutdown-probe'))?.ackPending === 0,
      {
        what: 'the ack',
      },
    );
    await next.close();
  });
});
