import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort } from './free-port';
import { startNatsServer } from './nats-server';
import type { TestNatsServer } from './nats-server';
import { pollUntil } from './poll-until';

/** The production cluster config: every test node runs this very file, ports and dirs rewritten. */
export const NATS_CLUSTER_CONF = join(
  __dirname,
  '..',
  '..',
  '..',
  'deploy',
  'nats',
  'cluster',
  'nats-cluster.conf',
);

export interface TestNatsNode extends TestNatsServer {
  /** Its server_name (nats-1, ...), what stream info names as leader and replicas. */
  name: string;
}

export interface TestNatsCluster {
  /** Every node's URL, comma-separated: what NATS_URL holds for a cluster. */
  url: string;
  nodes: TestNatsNode[];
  node(name: string): TestNatsNode;
  /** Resolves once JetStream can place a stream on every node (after a start or a restart). */
  ready(timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export interface NatsClusterOptions {
  size?: number;
  /**
   * What the config's `include ../nats-users.conf` reads: the deploy's users (plus a probe);
   * default none (no auth). Their passwords go in `env`.
   */
  users?: string;
  env?: Record<string, string>;
  /** Credentials the readiness check connects with, when `users` is given. */
  auth?: { user: string; pass: string };
}

interface NodePorts {
  port: number;
  clusterPort: number;
  storeDir: string;
}

/**
 * deploy/nats/cluster/nats-cluster.conf for a node on loopback: its ports, store dir and smaller
 * limits. Throws when the file no longer has a line this relies on, so the test cannot silently
 * run another config than the one deployed.
 */
export function clusterNodeConfig(template: string, node: NodePorts): string {
  const rules: Array<[RegExp, string]> = [
    [/^port: \d+$/m, `host: 127.0.0.1\nport: ${node.port}`],
    [/^http: \d+\n/m, ''],
    [/^(\s+store_dir: ).+$/m, `$1"${node.storeDir}"`],
    [/^(\s+max_mem: ).+$/m, '$164MB'],
    [/^(\s+max_file: ).+$/m, '$11GB'],
    [/^(\s+)port: 6222$/m, `$1host: 127.0.0.1\n$1port: ${node.clusterPort}`],
  ];
  return rules.reduce((text, [pattern, replacement]) => {
    if (!pattern.test(text)) {
      throw new Error(`${NATS_CLUSTER_CONF} has no line matching ${String(pattern)}`);
    }
    return text.replace(pattern, replacement);
  }, template);
}

/**
 * Three (or `size`) nats-servers on loopback forming one JetStream cluster from the deployed
 * config: random ports, temp store dirs, authenticated routes. Resolves once streams of `size`
 * replicas can be placed.
 */
export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<TestNatsCluster> {
  const size = opts.size ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'og-nats-cluster-'));
  // The config includes ../nats-users.conf: beside the nodes' dirs, as in deploy/nats.
  writeFileSync(join(root, 'nats-users.conf'), opts.users ?? '');
  const template = readFileSync(NATS_CLUSTER_CONF, 'utf8');
  const clusterPass = 'c' + randomBytes(12).toString('hex');
  const plan: Array<NodePorts & { name: string; dir: string }> = [];
  for (let i = 1; i <= size; i++) {
    const dir = join(root, `nats-${i}`);
    mkdirSync(dir);
    plan.push({
      name: `nats-${i}`,
      dir,
      port: await freePort(),
      clusterPort: await freePort(),
      storeDir: join(dir, 'js'),
    });
  }
  // Routes carry the cluster's credentials (deploy/nats/cluster explains why in the URL).
  const routes = Object.fromEntries(
    plan.map((n, i) => [
      `NATS_ROUTE_${i + 1}`,
      `nats-route://route:${clusterPass}@127.0.0.1:${n.clusterPort}`,
    ]),
  );
  const nodes = await Promise.all(
    plan.map(async (n): Promise<TestNatsNode> => {
      const server = await startNatsServer({
        dir: n.dir,
        port: n.port,
        config: (port) => clusterNodeConfig(template, { ...n, port }),
        env: {
          ...opts.env,
          ...routes,
          NATS_SERVER_NAME: n.name,
          NATS_CLUSTER_PASS: clusterPass,
        },
      });
      return Object.assign(server, { name: n.name });
    }),
  );
  const url = nodes.map((n) => n.url).join(',');
  const ready = (timeoutMs = 30_000) => placeable(url, size, opts.auth, timeoutMs);
  const cluster: TestNatsCluster = {
    url,
    nodes,
    node: (name) => {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no node ${name} in the test cluster`);
      return found;
    },
    ready,
    dispose: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await ready();
  } catch (e) {
    await cluster.dispose();
    throw e;
  }
  return cluster;
}

/**
 * JetStream is up on the cluster when it can place a stream on `replicas` nodes: the meta leader
 * is elected and every peer has joined (before that a create fails with "insufficient resources").
 */
async function placeable(
  url: string,
  replicas: number,
  auth: { user: string; pass: string } | undefined,
  timeoutMs: number,
): Promise<void> {
  const nc = await connect({ servers: url.split(','), name: 'test-cluster-ready', ...auth });
  try {
    // No API check: JetStream answers only once the meta leader is elected, which is what we wait for.
    const jsm = await nc.jetstreamManager({ timeout: 2000, checkAPI: false });
    const name = `CLUSTER_READY_${randomBytes(4).toString('hex')}`;
    await pollUntil(
      () =>
        jsm.streams
          .add({ name, subjects: [`test.cluster-ready.${name}`], num_replicas: replicas })
          .then(() => true)
          // A create that timed out may still have happened.
          .catch((e: Error) => /already in use/.test(e.message)),
      { what: `a JetStream cluster of ${replicas} nodes`, timeoutMs, intervalMs: 200 },
    );
    await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
