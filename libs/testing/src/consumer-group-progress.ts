import { connect } from 'nats';
import { INBOUND_PARTITIONS } from '@omnigate/contracts';

export interface GroupProgress {
  /** Units (partitions, and the unpartitioned subjects) that have a consumer on the server now. */
  units: number;
  /** Every unit has one: only then do `acked` and the sums below describe the whole stream. */
  complete: boolean;
  /** Stream messages acknowledged: the stream's count minus what waits or is in hand. */
  acked: number;
  /** Summed over the group's consumers: not yet delivered. */
  pending: number;
  /** Summed: delivered, not yet acknowledged. */
  ackPending: number;
  redelivered: number;
  /** Consumer name → stream sequences it acknowledged so far (ack floor), for a failure message. */
  consumers: Record<string, number>;
}

/** The router's inbound partitions (`router-inbound-p07-e3`) and its unpartitioned durable. */
const INBOUND_UNITS = INBOUND_PARTITIONS + 1;

/**
 * Progress of a partitioned consumer group (libs/bus partitioned-consumer.ts) on a stream that
 * only it reads, such as the router's inbound: one durable per partition, named
 * `<durable>-pNN-e<epoch>`, plus `<durable>` for the unpartitioned subjects. A single
 * consumer's ack floor says nothing here; what the group acknowledged is the stream's messages
 * minus what any of its consumers still has to deliver or has in hand.
 */
export async function consumerGroupProgress(
  natsUrl: string,
  stream: string,
  durable: string,
  expectedUnits: number = INBOUND_UNITS,
): Promise<GroupProgress> {
  const nc = await connect({ servers: natsUrl, name: 'test-consumer-group' });
  try {
    const jsm = await nc.jetstreamManager();
    const partition = new RegExp(`^${durable}-(p\\d{2})-e\\d+$`);
    const units = new Set<string>();
    const out: GroupProgress = {
      units: 0,
      complete: false,
      acked: 0,
      pending: 0,
      ackPending: 0,
      redelivered: 0,
      consumers: {},
    };
    for await (const ci of jsm.consumers.list(stream)) {
      const unit = ci.name === durable ? 'unpartitioned' : partition.exec(ci.name)?.[1];
      if (!unit) continue;
      units.add(unit);
      out.pending += ci.num_pending;
      out.ackPending += ci.num_ack_pending;
      out.redelivered += ci.num_redelivered;
      out.consumers[ci.name] = ci.ack_floor.stream_seq;
    }
    const messages = (await jsm.streams.info(stream)).state.messages;
    out.units = units.size;
    out.complete = units.size >= expectedUnits;
    out.acked = messages - out.pending - out.ackPending;
    return out;
  } finally {
    await nc.close();
  }
}

/** Every message of the stream acknowledged by the group (and `total` of them, when given). */
export function groupSettled(p: GroupProgress, total?: number): boolean {
  return (
    p.complete &&
    p.pending === 0 &&
    p.ackPending === 0 &&
    (total === undefined || p.acked === total)
  );
}
