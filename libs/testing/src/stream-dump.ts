import { connect } from 'nats';
import { KvBucket } from '@omnigate/bus';

/** Every message body stored in the named JetStream streams, as text (to prove what is NOT there). */
export async function dumpStreams(natsUrl: string, streams: string[]): Promise<string[]> {
  const nc = await connect({ servers: natsUrl, name: 'test-stream-dump' });
  try {
    const jsm = await nc.jetstreamManager();
    const out: string[] = [];
    for (const name of streams) {
      const info = await jsm.streams.info(name).catch(() => null);
      if (!info) continue;
      for (
        let seq = info.state.first_seq;
        seq <= info.state.last_seq && info.state.messages > 0;
        seq++
      ) {
        const m = await jsm.streams.getMessage(name, { seq }).catch(() => null);
        if (m) out.push(`${m.subject} ${Buffer.from(m.data).toString('utf8')}`);
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** The names of every stream on the server: the standard ones, KV buckets', object stores'. */
export async function streamNames(natsUrl: string): Promise<string[]> {
  const nc = await connect({ servers: natsUrl, name: 'test-stream-names' });
  try {
    const names: string[] = [];
    for await (const name of (await nc.jetstreamManager()).streams.names()) names.push(name);
    return names.sort();
  } finally {
    await nc.close();
  }
}

/** Stream message counts, for exactly-once checks. */
export async function streamCount(natsUrl: string, stream: string): Promise<number> {
  const nc = await connect({ servers: natsUrl, name: 'test-stream-count' });
  try {
    const info = await (await nc.jetstreamManager()).streams.info(stream);
    return info.state.messages;
  } finally {
    await nc.close();
  }
}

export interface ConsumerProgress {
  /** Highest stream sequence below which everything is acknowledged. */
  ackFloor: number;
  /** Messages not yet delivered, and delivered but not yet acknowledged. */
  pending: number;
  ackPending: number;
  redelivered: number;
}

export async function consumerProgress(
  natsUrl: string,
  stream: string,
  durable: string,
): Promise<ConsumerProgress | null> {
  const nc = await connect({ servers: natsUrl, name: 'test-consumer-info' });
  try {
    const info = await (
      await nc.jetstreamManager()
    ).consumers
      .info(stream, durable)
      .catch(() => null);
    if (!info) return null;
    return {
      ackFloor: info.ack_floor.stream_seq,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
    };
  } finally {
    await nc.close();
  }
}

/** One entry of a KV bucket an app keeps (a gateway's opt-out list...), or undefined. */
export async function kvEntry<T>(
  natsUrl: string,
  bucket: string,
  key: string,
): Promise<T | undefined> {
  const nc = await connect({ servers: natsUrl, name: 'test-kv-read' });
  try {
    const kv = await nc.jetstream().views.kv(bucket, { bindOnly: true });
    return await new KvBucket<T>(kv).get(key);
  } catch {
    return undefined;
  } finally {
    await nc.close();
  }
}
