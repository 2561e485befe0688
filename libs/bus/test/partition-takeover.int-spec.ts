import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { KitModule, renderMetrics } from '@omnigate/kit';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import { BusModule, BusPublisher, NatsConnection, Streams } from '@omnigate/bus';
import { startPartitionedConsumer } from '@omnigate/bus';
import type { RunningPartitionedConsumer } from '@omnigate/bus';

const Payload = z.object({ n: z.number(), key: z.string() });
type Payload = z.infer<typeof Payload>;

const GROUP = 'takeover-test';
const BUCKET = 'takeover_leases';
const FILTER = 'msg.in.v1.takeovertest.p00';
/** Short, so the file stays quick: the holder's fence closes after half of it. */
const TERM_MS = 1200;

/**
 * nats-node-loss lost accepted messages: during a NATS failover the lease bucket refused writes,
 * the holder's fence closed while its consumer still pulled, and each message in hand was handed
 * back (nak) and came again at once, until the server's max_deliver dropped it and moved the ack
 * floor past it. The next epoch, started at that floor, never saw it. A takeover while messages are
 * in hand and unacknowledged must give every one of them to the next holder.
 */
describe('libs/bus: partition takeover while messages are in hand', () => {
  let nats: TestNatsServer;
  const mods: TestingModule[] = [];
  const running: RunningPartitionedConsumer[] = [];
  /** Opens every handler gate, so that stopping never waits for a handler the test holds. */
  let releaseAll = () => undefined as void;

  const open = async (name: string) => {
    const mod = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: nats.url, name })],
    }).compile();
    await mod.init();
    mods.push(mod);
    return mod;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    releaseAll();
    for (const r of running) await r.stop().catch(() => undefined);
    for (const m of mods) await m.close().catch(() => undefined);
    await nats?.dispose();
  });

  it('messages in hand while the lease bucket refuses writes are handled once it is back, and a takeover redelivers what the dead holder had in hand; each stored once', async () => {
    const modA = await open('holder-a');
    const modB = await open('holder-b');
    const connA = modA.get(NatsConnection);
    const connB = modB.get(NatsConnection);
    const pub = modA.get(BusPublisher);
    // The test's own requests go through B: A's connection dies below.
    const jsm = await connB.manager();
    // What a store keyed by message keeps (the router's is idempotent: a message read again after
    // the bucket's outage is dropped as handled), and how often each was handled to the end.
    const stored = new Set<number>();
    const handled = new Map<number, number>();
    const byB: number[] = [];
    const gates = new Map<number, Gate>([
      [1, gate()],
      [7, gate()],
    ]);
    releaseAll = () => gates.forEach((g) => g.release());
    const spec = (who: 'a' | 'b') => ({
      stream: Streams.MSG_IN.name,
      durable: GROUP,
      units: [{ id: 'p00', filterSubject: FILTER }],
      leaseBucket: BUCKET,
      leaseTermMs: TERM_MS,
      schema: Payload,
      keyOf: (p: Payload) => p.key,
      handle: async (p: Payload) => {
        if (who === 'a') await gates.get(p.n)?.enter();
        handled.set(p.n, (handled.get(p.n) ?? 0) + 1);
        if (who === 'b') byB.push(p.n);
        stored.add(p.n);
      },
    });
    const send = (n: number, key: string) =>
      pub.publish(FILTER, Payload, { n, key }, { msgId: randomUUID() });
    // The partition's durable of the current epoch (a disruption reads it again at a new one).
    const epoch1 = async () => {
      const all = await jsm.consumers.list(Streams.MSG_IN.name).next();
      const mine = all.filter((c) => c.name.startsWith(`${GROUP}-p00-e`));
      const epochOf = (name: string) => Number(name.split('-e').pop());
      return mine.sort((x, y) => epochOf(y.name) - epochOf(x.name))[0]!;
    };
    const missing = (ns: number[]) => ns.filter((n) => !stored.has(n));

    const a = await startPartitionedConsumer(connA, spec('a'));
    running.push(a);
    await pollUntil(() => a.held().includes('p00'), { what: 'A holds p00' });

    // One sender's five messages: A is in the first one's handler, the other four wait behind it.
    for (let n = 1; n <= 5; n++) await send(n, 'sender-1');
    await pollUntil(async () => gates.get(1)!.entered && (await epoch1()).num_ack_pending === 5, {
      what: 'A holds all five in hand',
    });

    // The lease bucket refuses writes (as one without a leader during a NATS failover): A cannot
    // renew, and half a term later its fence closes while its consumer still pulls.
    const kvStream = `KV_${BUCKET}`;
    const kvConfig = (await jsm.streams.info(kvStream)).config;
    await jsm.streams.update(kvStream, { ...kvConfig, max_msg_size: 1 });
    const termLater = Date.now() + TERM_MS;
    await pollUntil(() => Date.now() > termLater, { what: 'a lease term without renewal' });
    gates.get(1)!.release();
    // The first was already being handled: it ends and is acknowledged. The next meets the closed
    // fence and waits in hand, the sender's others behind it (before the fix: each was handed
    // back, came again at once, and after max_deliver the server dropped it).
    await pollUntil(
      async () => (await epoch1()).num_ack_pending === 0 || (await fencedHeld()) >= 1,
      { what: 'message 2 held by the fence, or the four dropped' },
    );
    await jsm.streams.update(kvStream, kvConfig);
    await pollUntil(() => missing([1, 2, 3, 4, 5]).length === 0, {
      what: 'messages 2-5 handled once A renews its lease',
    }).catch((e: Error) => {
      throw new Error(
        `${e.message}; accepted but never handled: ${missing([1, 2, 3, 4, 5]).join(',')}`,
      );
    });

    // The outage counted as trouble: A reads the partition again at a new epoch from before it
    // (what it handled already comes again and is dropped as stored).
    await pollUntil(async () => (await epoch1()).name === `${GROUP}-p00-e2`, {
      what: 'A reads p00 again at epoch 2',
    });

    // B starts only now: during the outage A's lease went stale for anyone watching, and which of
    // A's renewal and B's claim came first once the bucket was back was a race.
    const b = await startPartitionedConsumer(connB, spec('b'));
    running.push(b);

    // Another sender's message is acknowledged; then A dies in the middle of sender 1's next two.
    await send(6, 'sender-2');
    await pollUntil(() => stored.has(6), { what: 'message 6 handled' });
    await send(7, 'sender-1');
    await send(8, 'sender-1');
    await pollUntil(async () => gates.get(7)!.entered && (await epoch1()).num_ack_pending === 2, {
      what: 'A in the handler of 7 with 8 in hand',
    });
    await connA.connection().close();
    await pollUntil(() => b.held().includes('p00'), { timeoutMs: 15_000, what: 'B takes p00' });
    await pollUntil(() => byB.length >= 2, { what: 'B handles what A had in hand' });

    expect(byB).toEqual([7, 8]);
    expect([...stored].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

interface Gate {
  entered: boolean;
  enter(): Promise<void>;
  release(): void;
}

/** A handler that waits at the gate until the test opens it. */
function gate(): Gate {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  const g: Gate = {
    entered: false,
    enter: () => {
      g.entered = true;
      return open;
    },
    release: () => release(),
  };
  return g;
}

/** Messages this process's consumers of the group held because a fence was closed. */
async function fencedHeld(): Promise<number> {
  const { body } = await renderMetrics();
  const line = body
    .split('\n')
    .find((l) => l.startsWith(`omnigate_bus_consumed_total{consumer="${GROUP}",outcome="fenced"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}
