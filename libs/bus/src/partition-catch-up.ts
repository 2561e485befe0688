import type { SeqMsgRequest, StoredMsg } from 'nats';
import type { z } from 'zod';
import type { NatsConnection } from './nats-connection';
import type { ConsumerSpec } from './durable-consumer';

type CatchUpSpec<S extends z.ZodType> = Pick<
  ConsumerSpec<S>,
  'stream' | 'filterSubject' | 'schema' | 'handle'
>;

/**
 * Reads a partition from `from` through the stream's leader (a message get, next by subject) and
 * hands each message to the handler in stream order, until the stream's end or `deadline`. A
 * consumer reads the replica of the node that leads it, and after a node loss nats-server 2.9.10
 * left a replica without a message the leader had: a consumer there passed over it, even one made
 * afresh (test/e2e/nats-node-loss.e2e-spec.ts). The handler is idempotent: what it had handled is
 * dropped. Gives back the sequence the partition's consumer starts at: the end, or the first
 * message the handler failed (the consumer applies its policy to it).
 */
export async function catchUpFromLeader<S extends z.ZodType>(
  conn: NatsConnection,
  spec: CatchUpSpec<S>,
  from: number,
  deadline: number,
): Promise<number> {
  let seq = from;
  while (performance.now() < deadline) {
    const m = await nextStored(conn, spec.stream, spec.filterSubject, seq);
    if (!m) break;
    const parsed = spec.schema.safeParse(parseJson(m.data));
    // A payload that cannot be parsed is left to the consumer, which dead-letters it.
    if (!parsed.success) return m.seq;
    const headers: Record<string, string> = {};
    for (const k of m.header?.keys() ?? []) headers[k] = m.header?.get(k) ?? '';
    const ctx = { subject: m.subject, streamSeq: m.seq, deliveryCount: 1, headers };
    try {
      await spec.handle(parsed.data, { ...ctx, working: () => undefined });
    } catch {
      // The consumer starts here and applies its own policy (wait, retry, dead-letter).
      return m.seq;
    }
    seq = m.seq + 1;
  }
  return seq;
}

/**
 * The first message of `subject` at or after `seq`, as the stream's leader holds it (a message
 * get is answered by the leader), or null when there is none.
 */
export async function nextStored(
  conn: NatsConnection,
  stream: string,
  subject: string,
  seq: number,
): Promise<StoredMsg | null> {
  const jsm = await conn.manager();
  return jsm.streams.getMessage(stream, nextBySubject(subject, seq)).catch((e: unknown) => {
    if (/no message found/i.test((e as Error).message)) return null;
    throw e;
  });
}

/**
 * STREAM.MSG.GET's "next message of a subject from a sequence" (nats-server 2.9+). nats.js types
 * it only for direct gets, which need allow_direct on the stream and may answer from a follower
 * (the replica in question): its leader-served get passes the request through as is.
 */
function nextBySubject(subject: string, seq: number): SeqMsgRequest {
  const request: SeqMsgRequest & { next_by_subj: string } = { next_by_subj: subject, seq };
  return request;
}

export function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}
