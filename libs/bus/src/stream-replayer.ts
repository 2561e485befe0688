import { Injectable } from '@nestjs/common';
import { NatsConnection, isNotFound } from './nats-connection';

/** One stored message as a replay hands it over (its bytes are never logged). */
export interface ReplayedMessage {
  seq: number;
  subject: string;
  /** The JSON body as published (libs/bus publishes JSON); undefined when it is none. */
  payload: unknown;
}

export interface ReplayReport {
  stream: string;
  /** The stream's first and last sequence when the replay started; 0 when it was empty. */
  firstSeq: number;
  lastSeq: number;
  /** Messages handed over (sequences deleted or aged out meanwhile are skipped). */
  read: number;
}

/** Reads in flight at once; the messages are still handed over one by one, in order. */
const WINDOW = 64;

/**
 * Replays a stream from its first message to the last one it held when the replay started, in
 * stream order, awaiting `each` before the next message (a projection's rebuild). Reads by
 * sequence (`STREAM.MSG.GET`, a window at a time): no consumer is created, so nothing is acked,
 * no durable is moved, and the reader needs no right to create one. O(messages).
 */
@Injectable()
export class StreamReplayer {
  constructor(private readonly nats: NatsConnection) {}

  async replay(stream: string, each: (m: ReplayedMessage) => Promise<void>): Promise<ReplayReport> {
    const jsm = await this.nats.manager();
    const info = await jsm.streams.info(stream).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    const lastSeq = info?.state.last_seq ?? 0;
    if (!info || info.state.messages === 0) return { stream, firstSeq: 0, lastSeq, read: 0 };
    const firstSeq = info.state.first_seq;
    let read = 0;
    for (let from = firstSeq; from <= lastSeq; from += WINDOW) {
      const seqs = Array.from({ length: Math.min(WINDOW, lastSeq - from + 1) }, (_, i) => from + i);
      const window = await Promise.all(
        seqs.map((seq) =>
          jsm.streams.getMessage(stream, { seq }).catch((e: unknown) => {
            if (isGone(e)) return null;
            throw e;
          }),
        ),
      );
      for (const m of window) {
        if (!m) continue;
        read++;
        await each({ seq: m.seq, subject: m.subject, payload: json(m.data) });
      }
    }
    return { stream, firstSeq, lastSeq, read };
  }
}

function json(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Deleted (an erasure) or aged out since the replay started: nothing to replay there. */
const isGone = (e: unknown): boolean =>
  isNotFound(e) || /no message found/i.test((e as Error | null)?.message ?? '');
