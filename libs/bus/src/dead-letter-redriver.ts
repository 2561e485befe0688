import { Injectable, Logger } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import type { JetStreamManager, StoredMsg } from 'nats';
import { AppError, counter } from '@omnigate/kit';
import { DeadLetterV1Schema, Subjects } from '@omnigate/contracts';
import { NatsConnection, isNotFound } from './nats-connection';
import { Streams } from './streams';
import { safeJson } from './dead-letter-reader';
import { BusPermissionError, isPermissionError } from './bus.errors';

export interface RedriveSelection {
  /** One entry by its id (its sequence in the DLQ stream). */
  id?: number;
  /** Every entry (of `stream` when given). */
  all?: boolean;
  /** Only entries of this stream (MSG_IN, MSG_OUT...). */
  stream?: string;
}

export interface RedriveOutcome {
  id: number;
  stream?: string;
  consumer?: string;
  /** `redriven`, or the stable code of why not (the entry stays). */
  result: 'redriven' | RedriveRefusal;
}

export type RedriveRefusal =
  'DLQ.ENTRY_NOT_FOUND' | 'DLQ.ENTRY_INVALID' | 'DLQ.ENTRY_MISMATCH' | 'DLQ.ORIGINAL_GONE';

const redriven = counter('omnigate_bus_redriven_total', 'Dead letters an operator redrove', [
  'stream',
  'result',
]);

/** Nothing to redrive: no such entry (or no entry at all for `--all`). */
export class RedriveSelectionError extends AppError {
  constructor(message: string) {
    super('DLQ.SELECTION_INVALID', message);
  }
}

/**
 * Puts dead letters back on their stream. The entry is only a pointer: the bytes, headers and
 * subject come from the ORIGINAL message, still in its stream, that the NATS server stored when
 * its publisher (a gateway) was allowed that subject. So a forged entry (any service may write
 * its own dead letters) can never make a redrive publish something new, or on a subject its
 * writer could not use. The entry goes from the DLQ once its message is back on the stream.
 */
@Injectable()
export class DeadLetterRedriver {
  private readonly logger = new Logger('dead-letters');

  constructor(private readonly conn: NatsConnection) {}

  async redrive(sel: RedriveSelection): Promise<RedriveOutcome[]> {
    const jsm = await this.conn.manager();
    const ids = sel.all ? await this.allIds(jsm) : sel.id !== undefined ? [sel.id] : [];
    if (!sel.all && sel.id === undefined) throw new RedriveSelectionError('give an id or all');
    const out: RedriveOutcome[] = [];
    try {
      for (const id of ids) {
        const outcome = await this.redriveOne(jsm, id, sel.stream, sel.all === true);
        if (outcome) out.push(outcome);
      }
    } catch (e) {
      // Least privilege: reading the original streams and publishing on their subjects are
      // grants of an operator's NATS user (deploy/nats), not of every service.
      if (isPermissionError(e)) {
        throw new BusPermissionError('this NATS user may not redrive dead letters', e);
      }
      throw e;
    }
    return out;
  }

  private async allIds(jsm: JetStreamManager): Promise<number[]> {
    const info = await jsm.streams.info(Streams.DLQ.name).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!info || info.state.messages === 0) return [];
    const ids: number[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) ids.push(seq);
    return ids;
  }

  /** Null when the entry belongs to another stream than the one asked for (or is gone, in --all). */
  private async redriveOne(
    jsm: JetStreamManager,
    id: number,
    onlyStream: string | undefined,
    scanning: boolean,
  ): Promise<RedriveOutcome | null> {
    const stored = await getMessage(jsm, Streams.DLQ.name, id);
    // Going through the whole stream: a sequence redriven (deleted) before is a gap, not an error.
    if (!stored) return scanning ? null : { id, result: 'DLQ.ENTRY_NOT_FOUND' };
    const parsed = DeadLetterV1Schema.safeParse(safeJson(Buffer.from(stored.data).toString()));
    if (!parsed.success) return this.refuse({ id, result: 'DLQ.ENTRY_INVALID' });
    const entry = parsed.data;
    if (onlyStream && entry.stream !== onlyStream) return null;
    const base = { id, stream: entry.stream, consumer: entry.consumer };
    const known = Object.values(Streams).some((s) => s.name === entry.stream);
    // Written by the consumer it names (its NATS user may publish only its own dlq subject).
    const ownSubject = stored.subject === Subjects.deadLetter(entry.stream, entry.consumer);
    if (!known || entry.stream === Streams.DLQ.name || !ownSubject) {
      return this.refuse({ ...base, result: 'DLQ.ENTRY_MISMATCH' });
    }
    const original = await getMessage(jsm, entry.stream, entry.streamSeq);
    if (!original) return this.refuse({ ...base, result: 'DLQ.ORIGINAL_GONE' });
    if (original.subject !== entry.subject) {
      return this.refuse({ ...base, result: 'DLQ.ENTRY_MISMATCH' });
    }
    const h = natsHeaders();
    for (const [k, v] of original.header ?? []) {
      if (!k.toLowerCase().startsWith('nats-')) for (const value of v) h.append(k, value);
    }
    await this.conn.jetstream().publish(original.subject, original.data, {
      // Once per entry: a redrive that failed after the publish and runs again is a duplicate.
      msgID: `redrive:${entry.stream}:${entry.streamSeq}:${id}`,
      headers: h,
    });
    await jsm.streams.deleteMessage(Streams.DLQ.name, id, false);
    redriven.inc({ stream: entry.stream, result: 'redriven' });
    this.logger.log({
      msg: 'dead letter redriven',
      id,
      stream: entry.stream,
      seq: entry.streamSeq,
    });
    return { ...base, result: 'redriven' };
  }

  private refuse(o: RedriveOutcome): RedriveOutcome {
    redriven.inc({ stream: o.stream ?? 'unknown', result: o.result });
    this.logger.warn({ msg: 'dead letter not redriven', id: o.id, code: o.result });
    return o;
  }
}

async function getMessage(
  jsm: JetStreamManager,
  stream: string,
  seq: number,
): Promise<StoredMsg | null> {
  return jsm.streams.getMessage(stream, { seq }).catch((e: unknown) => {
    if (isNotFound(e) || /no message found/i.test(String((e as Error)?.message))) return null;
    throw e;
  });
}
