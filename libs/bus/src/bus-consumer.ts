import { Injectable, Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { ConsumerConfig, JetStreamManager, JsMsg } from 'nats';
import type { z } from 'zod';
import { AppError, counter, histogram } from '@omnigate/kit';
import { DEAD_LETTER_V1, Subjects } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { NatsConnection, isNotFound } from './nats-connection';
import { KeyedExecutor } from './keyed-executor';
import { PermanentError, RetryAfterError } from './bus.errors';

export interface MessageContext {
  subject: string;
  streamSeq: number;
  deliveryCount: number;
  headers: Record<string, string>;
  /** Tells the server the handler is still working (resets ack_wait). */
  working(): void;
}

export interface ConsumerSpec<S extends z.ZodType> {
  stream: string;
  /** Durable name, `<service>-<purpose>`: instances of one service share it (a work queue). */
  durable: string;
  filterSubject: string;
  schema: S;
  handle(payload: z.infer<S>, ctx: MessageContext): Promise<void>;
  /** Deliveries before the message goes to the dead-letter subject. */
  maxDeliver?: number;
  /** Delay before redelivery after the n-th transient failure, ms. */
  backoffMs?: number[];
  ackWaitMs?: number;
  concurrency?: number;
  /** Messages with the same key are handled one after the other, in order. */
  keyOf?: (payload: z.infer<S>) => string;
}

/** @deprecated name kept for callers: the entry is the DeadLetter v1 contract. */
export type DeadLetterEntry = DeadLetterV1;

const DEFAULT_BACKOFF = [500, 2000, 5000, 15_000, 30_000];
const outcomes = counter('omnigate_bus_consumed_total', 'Messages handled by a consumer', [
  'consumer',
  'outcome',
]);
const handleSeconds = histogram('omnigate_bus_handle_seconds', 'Handler time per message', [
  'consumer',
]);

/**
 * Durable pull consumers: ack on success, nak with backoff on transient errors, term plus a
 * dead-letter entry on permanent errors, bad payloads, or after maxDeliver attempts.
 */
@Injectable()
export class BusConsumers {
  private readonly logger = new Logger('bus-consumer');

  constructor(private readonly conn: NatsConnection) {}

  async start<S extends z.ZodType>(spec: ConsumerSpec<S>): Promise<void> {
    const maxDeliver = spec.maxDeliver ?? 5;
    await ensureConsumer(await this.conn.manager(), spec.stream, {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: spec.filterSubject,
      ack_wait: nanos(spec.ackWaitMs ?? 30_000),
      // One more than ours, so the delivery after a crash loop reaches us and is dead-lettered.
      max_deliver: maxDeliver + 1,
      max_ack_pending: 1000,
    });
    const consumer = await this.conn.jetstream().consumers.get(spec.stream, spec.durable);
    const concurrency = spec.concurrency ?? 1;
    const messages = await consumer.consume({ max_messages: Math.max(concurrency * 2, 16) });
    const exec = new KeyedExecutor(concurrency);
    const loop = (async () => {
      for await (const m of messages) {
        await exec.slot();
        const parsed = spec.schema.safeParse(decode(m));
        if (!parsed.success) {
          await this.deadLetter(
            spec,
            m,
            new PermanentError('BUS.PAYLOAD_INVALID', parsed.error.message),
          );
          continue;
        }
        const key = spec.keyOf ? spec.keyOf(parsed.data) : String(m.seq);
        exec.run(key, () => this.process(spec, m, parsed.data, maxDeliver));
      }
    })();
    this.conn.onShutdown(async () => {
      messages.stop();
      await loop.catch(() => undefined);
      await exec.idle();
    }, `consumer ${spec.durable}`);
    this.logger.log({
      msg: 'consumer started',
      consumer: spec.durable,
      subject: spec.filterSubject,
    });
  }

  private async process<S extends z.ZodType>(
    spec: ConsumerSpec<S>,
    m: JsMsg,
    payload: z.infer<S>,
    maxDeliver: number,
  ): Promise<void> {
    const deliveryCount = m.info.deliveryCount;
    if (deliveryCount > maxDeliver) {
      await this.deadLetter(
        spec,
        m,
        new PermanentError(
          'BUS.MAX_DELIVER_EXCEEDED',
          `not acknowledged after ${maxDeliver} deliveries`,
        ),
      );
      return;
    }
    const end = handleSeconds.startTimer({ consumer: spec.durable });
    try {
      await spec.handle(payload, contextOf(m));
      m.ack();
      outcomes.inc({ consumer: spec.durable, outcome: 'ack' });
    } catch (e) {
      const err = asAppError(e);
      if (!err.retryable || deliveryCount >= maxDeliver) {
        await this.deadLetter(spec, m, err);
        return;
      }
      const backoff = spec.backoffMs ?? DEFAULT_BACKOFF;
      const delay =
        e instanceof RetryAfterError
          ? e.delayMs
          : (backoff[Math.min(deliveryCount - 1, backoff.length - 1)] ?? 1000);
      m.nak(delay);
      outcomes.inc({ consumer: spec.durable, outcome: 'nak' });
      this.logger.warn({
        msg: 'handler failed, will retry',
        consumer: spec.durable,
        seq: m.seq,
        deliveryCount,
        delayMs: delay,
        code: err.code,
      });
    } finally {
      end();
    }
  }

  private async deadLetter<S extends z.ZodType>(
    spec: ConsumerSpec<S>,
    m: JsMsg,
    err: AppError,
  ): Promise<void> {
    const entry: DeadLetterV1 = {
      type: DEAD_LETTER_V1,
      version: 1,
      stream: spec.stream,
      consumer: spec.durable,
      subject: m.subject,
      streamSeq: m.seq,
      deliveryCount: m.info.deliveryCount,
      error: { code: err.code, message: err.message.slice(0, 500) },
      payload: Buffer.from(m.data).toString('utf8'),
      at: new Date().toISOString(),
    };
    try {
      await this.conn
        .jetstream()
        .publish(
          Subjects.deadLetter(spec.stream, spec.durable),
          Buffer.from(JSON.stringify(entry)),
          {
            msgID: `dlq:${spec.stream}:${spec.durable}:${m.seq}`,
          },
        );
      m.term();
      outcomes.inc({ consumer: spec.durable, outcome: 'dead_letter' });
      this.logger.error({
        msg: 'message dead-lettered',
        consumer: spec.durable,
        seq: m.seq,
        code: err.code,
      });
    } catch {
      // Never lose it: if the dead-letter publish fails, let the server redeliver.
      m.nak(5000);
    }
  }
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    await jsm.consumers.info(stream, config.durable_name);
    await jsm.consumers.update(stream, config.durable_name, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.consumers.add(stream, config);
  }
}

function decode(m: JsMsg): unknown {
  try {
    return JSON.parse(Buffer.from(m.data).toString('utf8'));
  } catch {
    return undefined;
  }
}

function contextOf(m: JsMsg): MessageContext {
  const headers: Record<string, string> = {};
  for (const k of m.headers?.keys() ?? []) headers[k] = m.headers?.get(k) ?? '';
  return {
    subject: m.subject,
    streamSeq: m.seq,
    deliveryCount: m.info.deliveryCount,
    headers,
    working: () => m.working(),
  };
}

function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  // Unknown failures (a dropped database connection...) are treated as transient.
  return new AppError('HANDLER.FAILED', e instanceof Error ? e.message : String(e), {
    cause: e,
    retryable: true,
  });
}
