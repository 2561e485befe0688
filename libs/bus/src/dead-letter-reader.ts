import { Injectable } from '@nestjs/common';
import { DeadLetterV1Schema } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { NatsConnection, isNotFound } from './nats-connection';
import { Streams } from './streams';

/** A dead letter with its place in the DLQ stream: the id an operator redrives it by. */
export type DeadLetterRecord = DeadLetterV1 & { id: number };

export interface DeadLetterPage {
  /** Newest first. */
  entries: DeadLetterRecord[];
  /** Entries held in the DLQ stream (kept 30 days). */
  total: number;
}

/** What consumers gave up on, for an operator: the newest entries of the DLQ stream. */
@Injectable()
export class DeadLetterReader {
  constructor(private readonly conn: NatsConnection) {}

  async recent(limit: number): Promise<DeadLetterPage> {
    const jsm = await this.conn.manager();
    const info = await jsm.streams.info(Streams.DLQ.name).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!info || info.state.messages === 0) return { entries: [], total: 0 };
    const entries: DeadLetterRecord[] = [];
    for (
      let seq = info.state.last_seq;
      seq >= info.state.first_seq && entries.length < limit;
      seq--
    ) {
      // A purged or deleted sequence is skipped, as is anything that is not a DeadLetter v1.
      const m = await jsm.streams.getMessage(Streams.DLQ.name, { seq }).catch(() => null);
      if (!m) continue;
      const parsed = DeadLetterV1Schema.safeParse(safeJson(Buffer.from(m.data).toString('utf8')));
      if (parsed.success) entries.push({ ...parsed.data, id: seq });
    }
    return { entries, total: info.state.messages };
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
