import type { ClusterInfo, PeerInfo } from 'nats';
import type { NatsConnection } from './nats-connection';
import { StreamSuspicion, clusterSign } from './stream-suspicion';

const peer = (over: Partial<PeerInfo> = {}): PeerInfo => ({
  name: 'n2',
  current: true,
  offline: false,
  active: 200e6,
  lag: 0,
  ...over,
});
const cluster = (leader: string | undefined, replicas: PeerInfo[]): ClusterInfo => ({
  name: 'c',
  leader,
  replicas,
});

describe('clusterSign: what in MSG_IN cluster info makes the stream suspect', () => {
  it('sees nothing on a single server or a healthy cluster with the same leader', () => {
    expect(clusterSign(undefined, undefined)).toBeNull();
    expect(clusterSign(cluster('n1', [peer(), peer({ name: 'n3' })]), 'n1')).toBeNull();
  });

  it('counts no leader, a new leader and an offline replica', () => {
    expect(clusterSign(cluster(undefined, []), 'n1')).toBe('no stream leader');
    expect(clusterSign(cluster('n2', [peer({ name: 'n1' })]), 'n1')).toBe('new stream leader');
    expect(clusterSign(cluster('n1', [peer({ offline: true })]), 'n1')).toBe('replica offline');
  });

  it('counts a replica catching up (far behind or silent), not one an entry or two behind', () => {
    expect(clusterSign(cluster('n1', [peer({ current: false, lag: 2 })]), 'n1')).toBeNull();
    expect(clusterSign(cluster('n1', [peer({ current: false, lag: 40 })]), 'n1')).toBe(
      'replica catching up',
    );
    expect(clusterSign(cluster('n1', [peer({ current: false, active: 3e9 })]), 'n1')).toBe(
      'replica catching up',
    );
  });
});

describe('StreamSuspicion: gap checks on at the first sign, off after a calm period', () => {
  it('stays suspect while signs keep coming and ends calmMs after the last one', () => {
    let t = 0;
    const s = new StreamSuspicion({} as NatsConnection, 'MSG_IN', {
      calmMs: 10_000,
      pollMs: 1000,
      now: () => t,
    });
    s.setReplicas(3);
    expect(s.active()).toBe(false);
    s.sign('replica offline');
    t = 9_000;
    expect(s.active()).toBe(true);
    s.sign('replica offline');
    t = 18_000;
    expect(s.active()).toBe(true);
    t = 19_000;
    expect(s.active()).toBe(false);
    expect(s.active()).toBe(false);
  });

  it('never turns suspect for a stream of one replica (nothing can catch up), nor stays so', () => {
    let t = 0;
    const s = new StreamSuspicion({} as NatsConnection, 'MSG_IN', {
      calmMs: 10_000,
      pollMs: 1000,
      now: () => t,
    });
    s.sign('consumer leader elected');
    // Not known to be replicated yet: no checks.
    expect(s.active()).toBe(false);
    s.setReplicas(1);
    expect(s.active()).toBe(false);
    s.sign('connection reconnect');
    t = 1000;
    expect(s.active()).toBe(false);
    s.setReplicas(3);
    s.sign('replica offline');
    expect(s.active()).toBe(true);
  });
});
