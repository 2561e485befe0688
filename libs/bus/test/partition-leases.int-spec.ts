import { connect } from 'nats';
import type { KV, KvEntry, KvWatchOptions, NatsConnection, QueuedIterator } from 'nats';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import { PartitionLeases } from '../src/partition-leases';

/** Short, so the file stays quick; heartbeats go every term / 6 as in the consumer. */
const TERM_MS = 1200;

/**
 * An instance knows the others only through its watch of the lease bucket, and nats.js ends a KV
 * watch whose ordered consumer it cannot recreate (after missed heartbeats on a loaded machine),
 * with no sign to the caller. From then on another instance's heartbeat looks stale: this one
 * counts itself alone and keeps every partition, while the other sees those leases renewed and
 * claims none. The watch must be opened again when it ends or goes silent. (Found while chasing a
 * CI failure that turned out to be the test's own listing: apps/router/test/identity-cache.)
 */
describe('libs/bus: partition leases keep watching the bucket', () => {
  let nats: TestNatsServer;
  const conns: NatsConnection[] = [];
  const leases: PartitionLeases[] = [];
  const beats: Array<ReturnType<typeof setInterval>> = [];

  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    beats.forEach(clearInterval);
    leases.forEach((l) => l.stop());
    for (const c of conns) await c.close().catch(() => undefined);
    await nats?.dispose();
  });

  const bucket = async (name: string): Promise<KV> => {
    const nc = await connect({ servers: nats.url, name });
    conns.push(nc);
    return nc.jetstream().views.kv('leases_test', { history: 1 });
  };

  /**
   * A member of `group` that heartbeats every term / 6, as the partitioned consumer's renewal
   * loop does. Each test has a group of its own: the members of the one before still beat.
   */
  const member = async (group: string, me: string, kv: KV, reasons: string[] = []) => {
    const l = new PartitionLeases(kv, group, TERM_MS, undefined, (r) => reasons.push(r));
    leases.push(l);
    await l.start();
    await l.heartbeat(me);
    beats.push(setInterval(() => void l.heartbeat(me).catch(() => undefined), TERM_MS / 6));
    return l;
  };

  /**
   * The bucket with its first watch under the test's control: `end()` ends it as nats.js does,
   * `mute()` lets it stay open but deliver nothing. Later watches are the real ones.
   */
  const firstWatchControlled = (kv: KV) => {
    let muted = false;
    let first: QueuedIterator<KvEntry> | null = null;
    const watch = async (opts?: KvWatchOptions): Promise<QueuedIterator<KvEntry>> => {
      const real = await kv.watch(opts);
      if (first) return real;
      first = real;
      const controlled = {
        stop: (err?: Error) => real.stop(err),
        async *[Symbol.asyncIterator]() {
          for await (const e of real) if (!muted) yield e;
        },
      };
      return controlled as unknown as QueuedIterator<KvEntry>;
    };
    const proxied = new Proxy(kv, {
      get: (target, prop, receiver) =>
        prop === 'watch' ? watch : (Reflect.get(target, prop, receiver) as unknown),
    });
    return {
      kv: proxied,
      end: () => first?.stop(),
      mute: () => {
        muted = true;
      },
    };
  };

  it('opens the watch again when it ends: the other instance is seen live again', async () => {
    const a = firstWatchControlled(await bucket('a'));
    const reasons: string[] = [];
    const leasesA = await member('ended', 'a', a.kv, reasons);
    a.end();
    // B starts after A's watch ended: only a watch opened again can tell A about it.
    await member('ended', 'b', await bucket('b'));
    await pollUntil(() => leasesA.liveMembers('a') === 2 || undefined, {
      what: 'A to count B among the live members',
      timeoutMs: 10_000,
    });
    expect(reasons).toEqual(['the lease watch ended']);
  });

  it('opens the watch again when it stays silent for a lease term', async () => {
    const a = firstWatchControlled(await bucket('a'));
    const reasons: string[] = [];
    const leasesA = await member('silent', 'a', a.kv, reasons);
    a.mute();
    await member('silent', 'b', await bucket('b'));
    await pollUntil(() => leasesA.liveMembers('a') === 2 || undefined, {
      what: 'A to count B among the live members',
      timeoutMs: 10_000,
    });
    expect(reasons).toEqual(['the lease watch was silent for a lease term']);
  });

  it('a stopped instance does not open its watch again', async () => {
    const reasons: string[] = [];
    const kv = await bucket('c');
    const l = new PartitionLeases(kv, 'stopped', TERM_MS, undefined, (r) => reasons.push(r));
    await l.start();
    l.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(reasons).toEqual([]);
  });
});
