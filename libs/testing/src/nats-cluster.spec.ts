import { readFileSync } from 'node:fs';
import { NATS_CLUSTER_CONF, clusterNodeConfig } from './nats-cluster';

describe('deploy/nats/cluster/nats-cluster.conf on loopback (what the cluster tests run)', () => {
  const deployed = readFileSync(NATS_CLUSTER_CONF, 'utf8');
  const node = { port: 21001, clusterPort: 21002, storeDir: '/tmp/og/nats-1/js' };

  it('rewrites only where it listens, where it stores and how much it may hold', () => {
    const text = clusterNodeConfig(deployed, node);
    expect(text).toMatch(/^host: 127\.0\.0\.1\nport: 21001$/m);
    expect(text).toMatch(/^\s+host: 127\.0\.0\.1\n\s+port: 21002$/m);
    expect(text).toMatch(/^\s+store_dir: "\/tmp\/og\/nats-1\/js"$/m);
    expect(text).not.toMatch(/^http:/m);
    // What production relies on is the deployed file's own: names, routes, domain, users.
    for (const kept of [
      'server_name: $NATS_SERVER_NAME',
      'domain: omnigate',
      'password: $NATS_CLUSTER_PASS',
      '$NATS_ROUTE_3',
      'include ../nats-users.conf',
    ]) {
      expect(text).toContain(kept);
    }
  });

  it('refuses a config that lost a line it relies on, naming the file', () => {
    const withoutStore = deployed.replace(/^\s+store_dir: .+\n/m, '');
    expect(() => clusterNodeConfig(withoutStore, node)).toThrow(/nats-cluster\.conf has no line/);
  });
});
