import { Logger } from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { AppError } from '@omnigate/kit';
import { DEAD_LETTER_V1, Subjects, deadLetterMsgId } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import type { NatsConnection } from './nats-connection';

const logger = new Logger('bus-consumer');

/** What a dead letter keeps of the message given up on. */
export interface GivenUp {
  subject: string;
  seq: number;
  deliveryCount: number;
  data: Uint8Array;
}

/**
 * Puts a message a consumer gave up on into the DLQ stream (on the consumer's own subject, the one
 * its NATS user may publish) and terms it. If that publish fails, the message is nak'ed instead:
 * never lost. Resolves true when it was dead-lettered.
 */
export async function deadLetter(
  conn: NatsConnection,
  where: { stream: string; durable: string },
  m: JsMsg,
  err: AppError,
): Promise<boolean> {
  const given = {
    subject: m.subject,
    seq: m.seq,
    deliveryCount: m.info.deliveryCount,
    data: m.data,
  };
  if (await publishDeadLetter(conn, where, given, err)) {
    m.term();
    return true;
  }
  // Never lose it: if the dead-letter publish fails, let the server redeliver.
  m.nak(5000);
  return false;
}

/**
 * The dead letter alone, for a message no consumer delivered (one the server passed over, read
 * through the stream's leader: gap-fill.ts). False when the publish failed.
 */
export async function publishDeadLetter(
  conn: NatsConnection,
  where: { stream: string; durable: string },
  m: GivenUp,
  err: AppError,
): Promise<boolean> {
  const entry: DeadLetterV1 = {
    type: DEAD_LETTER_V1,
    version: 1,
    stream: where.stream,
    consumer: where.durable,
    subject: m.subject,
    streamSeq: m.seq,
    deliveryCount: m.deliveryCount,
    error: { code: err.code, message: err.message.slice(0, 500) },
    payload: Buffer.from(m.data).toString('utf8'),
    at: new Date().toISOString(),
  };
  try {
    await conn
      .jetstream()
      .publish(
        Subjects.deadLetter(where.stream, where.durable),
        Buffer.from(JSON.stringify(entry)),
        { msgID: deadLetterMsgId(where.stream, where.durable, m.seq) },
      );
  } catch {
    return false;
  }
  logger.error({
    msg: 'message dead-lettered',
    consumer: where.durable,
    seq: m.seq,
    code: err.code,
  });
  return true;
}
