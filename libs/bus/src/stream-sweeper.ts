import { Injectable } from '@nestjs/common';
import type { JetStreamManager, MsgHdrs } from 'nats';
import { counter } from '@omnigate/kit';
import { NatsConnection, isNotFound } from './nats-connection';

/** One stored message as the sweep sees it (its bytes are never logged). */
export interface SweptMessage {
  stream: string;
  seq: number;
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
}

export interface SweepReport {
  stream: string;
  /** Messages read. */
  scanned: number;
  /** Messages deleted, each overwritten in the stream's store (JetStream erase). */
  deleted: number;
  /** The stream's last sequence when the sweep started: a later sweep may start after it. */
  lastSeq: number;
}

/** Reads in flight at once (one STREAM.MSG.GET per stored message). */
const IN_FLIGHT = 64;
const sweptMessages = counter(
  'omnigate_bus_swept_messages_total',
  'Stream messages read and erased by erasure sweeps',
  ['stream', 'outcome'],
);

/**
 * Finds and erases stored messages: reads a stream from a sequence to its end, message by
 * message (no consumer: nothing acknowledged, no durable touched, and the reader needs no right
 * to create one) and deletes every message the predicate dooms, with JetStream's erase (the bytes
 * are overwritten, not only unlinked). For rare operator actions (a customer's erasure): it costs
 * a read of the whole range, O(messages).
 */
@Injectable()
export class StreamSweeper {
  constructor(private readonly nats: NatsConnection) {}

  async sweep(
    stream: string,
    doomed: (m: SweptMessage) => boolean,
    fromSeq = 1,
  ): Promise<SweepReport> {
    const jsm = await this.nats.manager();
    const info = await jsm.streams.info(stream).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!info) return { stream, scanned: 0, deleted: 0, lastSeq: 0 };
    const target = info.state.last_seq;
    const start = Math.max(fromSeq, info.state.first_seq);
    if (info.state.messages === 0 || start > target) {
      return { stream, scanned: 0, deleted: 0, lastSeq: target };
    }
    const victims: number[] = [];
    const collect = (m: SweptMessage) => {
      if (doomed(m)) victims.push(m.seq);
    };
    const scanned = await this.read(stream, start, target, collect);
    let deleted = 0;
    for (const seq of victims) if (await eraseOne(jsm, stream, seq)) deleted++;
    sweptMessages.inc({ stream, outcome: 'scanned' }, scanned);
    sweptMessages.inc({ stream, outcome: 'erased' }, deleted);
    return { stream, scanned, deleted, lastSeq: target };
  }

  /** Removes every message on one subject (a conversation's events): one call, no read. */
  async purgeSubject(stream: string, subject: string): Promise<number> {
    const jsm = await this.nats.manager();
    const res = await jsm.streams.purge(stream, { filter: subject }).catch((e: unknown) => {
      if (isNotFound(e)) return { purged: 0 };
      throw e;
    });
    sweptMessages.inc({ stream, outcome: 'purged' }, res.purged);
    return res.purged;
  }

  /**
   * Reads [start, target] by sequence (`STREAM.MSG.GET`, up to IN_FLIGHT requests at once): no
   * consumer is created, so the reader needs no right to make one (the router may not create a
   * consumer on CARDS). A sequence already gone (deleted, aged out) is skipped. Returns how many.
   */
  private async read(
    stream: string,
    start: number,
    target: number,
    each: (m: SweptMessage) => void,
  ): Promise<number> {
    const jsm = await this.nats.manager();
    let next = start;
    let scanned = 0;
    const worker = async () => {
      while (next <= target) {
        const seq = next++;
        const m = await jsm.streams.getMessage(stream, { seq }).catch((e: unknown) => {
          if (isGone(e)) return null;
          throw e;
        });
        if (!m) continue;
        scanned++;
        each({ stream, seq: m.seq, subject: m.subject, data: m.data, headers: m.header });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    return scanned;
  }
}

const isGone = (e: unknown): boolean =>
  isNotFound(e) || /no message found/i.test((e as Error | null)?.message ?? '');

/** JetStream erase: the message is overwritten with random bytes; gone already is fine. */
async function eraseOne(jsm: JetStreamManager, stream: string, seq: number): Promise<boolean> {
  try {
    return await jsm.streams.deleteMessage(stream, seq, true);
  } catch (e) {
    if (isGone(e)) return false;
    throw e;
  }
}
