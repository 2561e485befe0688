import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { z } from 'zod';
import { counter, gauge } from '@omnigate/kit';
import type { NatsConnection } from './nats-connection';
import { isNotFound } from './nats-connection';
import { ensureReplicas, replicasError } from './replicas';
import { startDurableConsumer } from './durable-consumer';
import type { ConsumerSpec, RunningConsumer } from './durable-consumer';
import { balanceStep } from './partition-balance';
import { PartitionLeases } from './partition-leases';
import { catchUpFromLeader } from './partition-catch-up';
import type { LeaseValue } from './partition-leases';
import { StreamSuspicion } from './stream-suspicion';

/** One partition of a partitioned consumer: its own filter, its own durable. */
export interface PartitionUnit {
  id: string;
  filterSubject: string;
  /**
   * A fixed consumer name instead of one per lease epoch (kept for a durable that existed before
   * partitions, which tools and dashboards name): no server-side fence, only the lease's.
   */
  fixedName?: string;
}

export interface PartitionedSpec<S extends z.ZodType> extends Omit<
  ConsumerSpec<S>,
  'filterSubject' | 'consumerName' | 'startSeq' | 'fence'
> {
  units: readonly PartitionUnit[];
  /** KV bucket of the leases (the service's NATS user may use it). */
  leaseBucket: string;
  /** How long a lease lives without renewal: a killed instance's partitions move after it. */
  leaseTermMs: number;
}

export interface RunningPartitionedConsumer extends RunningConsumer {
  /** Units this instance holds now. */
  held(): string[];
}

interface Held {
  id: string;
  revision: number;
  value: LeaseValue;
  renewSentAt: number;
  consumer: RunningConsumer;
  /** Reading was disrupted: read again from this message at a new epoch. */
  rewindFrom?: number;
}

const changes = counter(
  'omnigate_bus_partition_changes_total',
  'Partition leases claimed, released, lost or read again by this instance, and lease watches opened again',
  ['consumer', 'change'],
);
const heldGauge = gauge('omnigate_bus_partitions_held', 'Partitions this instance holds', [
  'consumer',
]);
const logger = new Logger('bus-partitions');

/**
 * The lease bucket, on as many nodes as every other stream (NATS_REPLICAS): a lease that lived on
 * one node of a cluster would stop every instance's work when that node died.
 */
async function openLeaseBucket(conn: NatsConnection, bucket: string) {
  const replicas = conn.options.replicas;
  const kv = await conn
    .jetstream()
    .views.kv(bucket, { history: 1, replicas: replicas ?? 1 })
    .catch((e: unknown) => {
      throw replicasError(e, `KV_${bucket}`, replicas ?? 1);
    });
  await ensureReplicas(await conn.manager(), `KV_${bucket}`, replicas, (entry) =>
    logger.warn(entry),
  );
  return kv;
}

/**
 * A durable consumer split into partitions that instances of one service share: each partition
 * (unit) is held by one instance at a time through a lease in a KV bucket, and read by a durable
 * of its own, named after the lease's epoch. Taking a partition over deletes the previous
 * epoch's durable and starts a new one at the first message it had not acknowledged: the old
 * holder, if it still runs, can neither pull nor acknowledge any more, and its unacknowledged
 * messages come again first, in stream order. A lone instance holds every partition.
 */
export async function startPartitionedConsumer<S extends z.ZodType>(
  conn: NatsConnection,
  spec: PartitionedSpec<S>,
): Promise<RunningPartitionedConsumer> {
  const me = `i${process.pid}-${randomUUID().slice(0, 8)}`;
  const term = spec.leaseTermMs;
  // How far back a partition is read again after trouble: noticing it takes up to a few
  // balance ticks and a leader election (5-10 s on a loaded machine), never more than two terms.
  const lookBackMs = Math.max(2 * term, 15_000);
  // Suspect (deliveries checked for gaps) until every replica looked healthy for this long.
  const suspicion = new StreamSuspicion(conn, spec.stream, {
    calmMs: Math.max(2 * term, 10_000),
    pollMs: 1000,
  });
  const kv = await openLeaseBucket(conn, spec.leaseBucket);
  const leases = new PartitionLeases(kv, spec.durable, term, undefined, (reason) => {
    changes.inc({ consumer: spec.durable, change: 'rewatched' });
    logger.warn({ msg: 'partition leases watched again', consumer: spec.durable, reason });
  });
  await leases.start();
  const units = spec.units.map((u) => u.id);
  const byId = new Map(spec.units.map((u) => [u.id, u]));
  const held = new Map<string, Held>();
  const now = () => performance.now();
  // The fence of one claim, not of the unit: after this instance lost a unit and claimed it
  // again, the old claim's consumer (still finishing) must not take the new lease for its own.
  const holds = (unit: string, claim: { held?: Held }) => {
    const h = held.get(unit);
    return !!h && h === claim.held && now() - h.renewSentAt < term / 2;
  };
  const nameOf = (unit: PartitionUnit, epoch: number) =>
    unit.fixedName ?? `${spec.durable}-${unit.id}-e${epoch}`;

  const claim = async (id: string): Promise<void> => {
    const unit = byId.get(id)!;
    const seen = leases.seenOf(id);
    const cur = await leases.read(id);
    const owner = cur.value?.owner ?? null;
    // Only what the tick judged: free, released, or stale at the very revision it saw.
    if (owner !== null && owner !== me && !(seen?.stale && seen.revision === cur.revision)) return;
    const prevEpoch = cur.value?.epoch ?? 0;
    const rewindFrom = cur.value?.rewindFrom;
    let startSeq = cur.value?.startSeq ?? null;
    const jsm = await conn.manager();
    const prevName = prevEpoch > 0 && !unit.fixedName ? nameOf(unit, prevEpoch) : null;
    if (prevName) {
      const info = await jsm.consumers.info(spec.stream, prevName).catch((e: unknown) => {
        if (isNotFound(e)) return null;
        throw e;
      });
      if (info) startSeq = info.ack_floor.stream_seq + 1;
    }
    const rewinding = rewindFrom !== undefined && !unit.fixedName;
    if (rewinding) startSeq = Math.min(startSeq ?? rewindFrom, rewindFrom);
    // While rewinding, the lease keeps where: a claim that fails half-way is done again from there.
    let value: LeaseValue = {
      owner: me,
      epoch: prevEpoch + 1,
      startSeq,
      ...(rewinding && startSeq !== null ? { rewindFrom: startSeq } : {}),
    };
    const renewSentAt = now();
    let revision: number;
    try {
      revision = await leases.write(id, value, cur.revision);
    } catch {
      return; // Someone else claimed or renewed it first.
    }
    if (prevName) {
      await jsm.consumers.delete(spec.stream, prevName).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    }
    if (value.rewindFrom !== undefined) {
      // Through the stream's leader, within a third of a term: the lease stays trusted meanwhile.
      const filter = { ...spec, filterSubject: unit.filterSubject };
      startSeq = await catchUpFromLeader(conn, filter, value.rewindFrom, renewSentAt + term / 3);
      value = { owner: me, epoch: value.epoch, startSeq };
      // Written at once: whoever claims next must not read the window again.
      revision = await leases.write(id, value, revision);
    }
    const mine: { held?: Held } = {};
    const consumer = await startDurableConsumer(conn, {
      ...spec,
      filterSubject: unit.filterSubject,
      consumerName: nameOf(unit, value.epoch),
      startSeq: unit.fixedName ? undefined : (startSeq ?? undefined),
      fence: () => holds(id, mine),
      // A durable kept by name is read on where it is: no epoch to start again at.
      onDisruption: unit.fixedName ? undefined : () => troubleSeen(),
      gapCheck: () => suspicion.active(),
    });
    mine.held = { id, revision, value, renewSentAt, consumer };
    held.set(id, mine.held);
    changes.inc({ consumer: spec.durable, change: 'claimed' });
    logger.log({ msg: 'partition claimed', consumer: spec.durable, unit: id, epoch: value.epoch });
  };

  const release = async (id: string): Promise<void> => {
    const h = held.get(id);
    if (!h) return;
    // Out of `held` first: the fence closes (what waits is handed back) and renewals stop.
    held.delete(id);
    await h.consumer.stop();
    const cur = await leases.read(id);
    if (cur.value?.owner === me && cur.value.epoch === h.value.epoch) {
      await leases.write(id, { ...h.value, owner: null }, cur.revision).catch(() => undefined);
    }
    changes.inc({ consumer: spec.durable, change: 'released' });
    logger.log({ msg: 'partition released', consumer: spec.durable, unit: id });
  };

  const renew = async (id: string, h: Held): Promise<void> => {
    const sentAt = now();
    try {
      h.revision = await leases.write(id, h.value, h.revision);
      h.renewSentAt = sentAt;
    } catch {
      // Taken over (or unreachable past its term): the fence already stops new work.
      if (held.get(id) !== h) return; // Released or read again at a new epoch meanwhile.
      held.delete(id);
      changes.inc({ consumer: spec.durable, change: 'lost' });
      logger.warn({ msg: 'partition lost', consumer: spec.durable, unit: id });
      await h.consumer.stop();
    }
  };

  // Renewals run on their own, so a slow claim or release never lets a held lease lapse.
  const renewAll = async (): Promise<void> => {
    try {
      await leases.heartbeat(me);
    } catch (e) {
      troubleSeen();
      throw e;
    }
    await Promise.all([...held].map(([id, h]) => renew(id, h)));
  };

  /**
   * The cluster was in trouble (a node lost: a consumer's pulls or the connection broke, a lease
   * could not be renewed, MSG_IN lost its leader or a replica). nats-server 2.9 can pass over a
   * message then, without any sign on the client: every partition held is read again, once the
   * stream is healthy, from where it stood a look-back window before the trouble was noticed.
   */
  const troubleSeen = (): void => {
    suspicion.sign('partition trouble');
    for (const h of held.values()) {
      const from = h.consumer.firstUnfinishedSince?.(lookBackMs);
      if (from !== undefined && !byId.get(h.id)?.fixedName) {
        h.rewindFrom = Math.min(h.rewindFrom ?? from, from);
      }
    }
  };
  // A replica merely behind (not current) is normal under load: only a lost leader or node counts.
  let lastLeader: string | undefined;
  const streamHealthy = async (): Promise<boolean> => {
    const info = await (await conn.manager()).streams.info(spec.stream).catch(() => null);
    if (!info) return false;
    const c = info.cluster;
    const leader = c?.leader;
    const changed = lastLeader !== undefined && leader !== lastLeader;
    lastLeader = leader;
    return !c || (!!leader && !changed && (c.replicas ?? []).every((r) => !r.offline));
  };

  /**
   * Reading was disrupted: the lease records where the next epoch must start (whoever claims it),
   * then this instance claims it again itself. What it reads twice, the handler drops as handled.
   */
  const rewind = async (id: string, h: Held, from: number): Promise<void> => {
    const value: LeaseValue = {
      ...h.value,
      rewindFrom: Math.min(from, h.value.rewindFrom ?? from),
    };
    h.revision = await leases.write(id, value, h.revision);
    h.value = value;
    held.delete(id);
    await h.consumer.stop();
    changes.inc({ consumer: spec.durable, change: 'rewound' });
    logger.warn({
      msg: 'partition read again after a disruption',
      consumer: spec.durable,
      unit: id,
    });
    await claim(id);
  };

  const balance = async (): Promise<void> => {
    if (!(await streamHealthy())) troubleSeen();
    else {
      for (const [id, h] of [...held]) {
        if (h.rewindFrom !== undefined && holds(id, { held: h })) await rewind(id, h, h.rewindFrom);
      }
    }
    const step = balanceStep({
      me,
      units,
      views: leases.views(units),
      liveMembers: leases.liveMembers(me),
      mine: [...held.keys()],
    });
    for (const id of step.release) await release(id);
    for (const id of step.claim) await claim(id);
    heldGauge.set({ consumer: spec.durable }, held.size);
  };

  let stopping = false;
  const every = (what: string, step: () => Promise<void>) =>
    (async () => {
      while (!stopping) {
        await step().catch((e: unknown) => {
          const code = (e as { code?: string }).code;
          logger.warn({ msg: `partition leases: ${what} failed`, consumer: spec.durable, code });
        });
        await new Promise((r) => setTimeout(r, Math.max(50, Math.floor(term / 6))));
      }
    })();
  await renewAll();
  suspicion.start();
  const loops = [every('renewal', renewAll), every('balance', balance)];
  logger.log({ msg: 'partitioned consumer started', consumer: spec.durable, instance: me });

  let stopped: Promise<void> | null = null;
  return {
    held: () => [...held.keys()],
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await Promise.all(loops);
        // Released, not left to expire: another instance takes them over at once.
        for (const id of [...held.keys()]) await release(id).catch(() => undefined);
        await leases.leave(me).catch(() => undefined);
        leases.stop();
        await suspicion.stop();
      })()),
  };
}
