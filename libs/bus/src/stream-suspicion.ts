import { Logger } from '@nestjs/common';
import { Events } from 'nats';
import type { ClusterInfo, JetStreamManager, Subscription } from 'nats';
import { gauge } from '@omnigate/kit';
import type { NatsConnection } from './nats-connection';
import { sleepUnlessStopped } from './outage-wait';

export interface SuspicionOptions {
  /** How long every replica must look healthy, with no other sign, before suspicion ends. */
  calmMs: number;
  /** How often the stream's cluster info is read. */
  pollMs: number;
  now?: () => number;
}

/**
 * A follower counts as catching up when it is behind by this many raft entries or was not heard
 * from for this long: a replica one or two entries behind is normal under load, and counting it
 * would keep every delivery's gap check on for as long as traffic lasts (issue 16).
 */
const LAG_SIGN = 10;
/** How often a stream known to have one replica is read again (no gap checks meanwhile). */
const SINGLE_REPLICA_POLL_MS = 30_000;
const SILENT_SIGN_MS = 1000;
const CONNECTION_SIGNS = new Set<string>([
  Events.Disconnect,
  Events.Reconnect,
  Events.Update,
  Events.LDM,
]);

const suspectGauge = gauge(
  'omnigate_bus_stream_suspect',
  'Whether a replica of the stream may be catching up (deliveries are checked for gaps)',
  ['stream'],
);
const logger = new Logger('bus-partitions');

/**
 * Whether one stream is "suspect": a replica may be catching up, and nats-server 2.9.10 can then
 * move a consumer past a message without delivering it (README "Order after a skip"). Entered at
 * the first sign: a node left or joined the cluster (the client's server list changed), the
 * connection broke, a stream or consumer leader was elected (JetStream advisories), the cluster
 * info shows no leader, a new leader, an offline or lagging replica, or does not answer; or a
 * consumer's own sign (`sign()`: missed heartbeats). Left once `calmMs` passed without any.
 */
export class StreamSuspicion {
  private lastSignAt = -Infinity;
  private suspect = false;
  private lastLeader: string | undefined;
  /**
   * Whether the stream has replicas (null until its info was read). A stream of one replica has
   * nothing to catch up: no suspicion, no gap checks (single servers, `npm start`, the tests).
   */
  private replicated: boolean | null = null;
  private readonly stopping = new AbortController();
  private readonly subs: Subscription[] = [];
  private stopStatus: (() => void) | null = null;
  private poller: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly conn: NatsConnection,
    private readonly stream: string,
    private readonly options: SuspicionOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The stream's replica count, from its config. */
  setReplicas(n: number): void {
    this.replicated = n > 1;
    if (!this.replicated && this.suspect) {
      this.suspect = false;
      suspectGauge.set({ stream: this.stream }, 0);
    }
  }

  /** True while the stream is suspect; ends it once calm. */
  active(): boolean {
    // Until the stream is known to have replicas, no gap checks (a single server needs none).
    if (!this.suspect || this.replicated !== true) return false;
    if (this.now() - this.lastSignAt < this.options.calmMs) return true;
    this.suspect = false;
    suspectGauge.set({ stream: this.stream }, 0);
    logger.log({ msg: 'stream calm again: gap checks off', stream: this.stream });
    return false;
  }

  sign(reason: string): void {
    if (this.replicated === false) return;
    this.lastSignAt = this.now();
    if (this.suspect) return;
    this.suspect = true;
    suspectGauge.set({ stream: this.stream }, 1);
    logger.warn({
      msg: 'stream suspect: deliveries checked for gaps',
      stream: this.stream,
      reason,
    });
  }

  start(): void {
    const nc = this.conn.connection();
    const advisory = '$JS.EVENT.ADVISORY';
    for (const [subject, reason] of [
      [`${advisory}.STREAM.LEADER_ELECTED.${this.stream}`, 'stream leader elected'],
      [`${advisory}.CONSUMER.LEADER_ELECTED.${this.stream}.>`, 'consumer leader elected'],
    ] as const) {
      this.subs.push(nc.subscribe(subject, { callback: (err) => !err && this.sign(reason) }));
    }
    const status = nc.status();
    this.stopStatus = () => (status as { stop?: () => void }).stop?.();
    void (async () => {
      for await (const s of status) {
        // A node lost or back changes the servers the cluster advertises: the earliest sign.
        if (CONNECTION_SIGNS.has(s.type)) this.sign(`connection ${s.type}`);
      }
    })().catch(() => undefined);
    this.poller = this.poll();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const s of this.subs.splice(0)) s.unsubscribe();
    this.stopStatus?.();
    await this.poller;
  }

  private async poll(): Promise<void> {
    let jsm: JetStreamManager | null = null;
    while (!this.stopping.signal.aborted) {
      try {
        // Its own manager with a short timeout: a stream without a leader answers nothing.
        jsm ??= await this.conn
          .connection()
          .jetstreamManager({ timeout: this.options.pollMs, checkAPI: false });
        const { cluster, config } = await jsm.streams.info(this.stream);
        this.setReplicas(config.num_replicas ?? 1);
        const why = clusterSign(cluster, this.lastLeader);
        this.lastLeader = cluster?.leader;
        if (why) this.sign(why);
      } catch {
        // Unanswered counts only for a replicated stream: a busy single server is not a sign.
        if (this.replicated) this.sign('cluster info unanswered');
      }
      // A stream of one replica only needs an occasional look (its replicas could be raised).
      const pause = this.replicated === false ? SINGLE_REPLICA_POLL_MS : this.options.pollMs;
      await sleepUnlessStopped(pause, this.stopping.signal);
    }
  }
}

/**
 * The sign of trouble in a stream's cluster info, if any: no leader, a leader other than the one
 * seen before, an offline replica, or one catching up (far behind, or silent). Null: healthy, or a
 * single server (no replica to catch up).
 */
export function clusterSign(
  cluster: ClusterInfo | undefined,
  lastLeader: string | undefined,
): string | null {
  if (!cluster) return null;
  const leader = cluster.leader;
  if (!leader) return 'no stream leader';
  if (lastLeader !== undefined && leader !== lastLeader) return 'new stream leader';
  for (const r of cluster.replicas ?? []) {
    if (r.offline) return 'replica offline';
    if (!r.current && (r.lag >= LAG_SIGN || r.active / 1e6 >= SILENT_SIGN_MS)) {
      return 'replica catching up';
    }
  }
  return null;
}
