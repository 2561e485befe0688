import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { ConsumerConfig, JetStreamManager, JsMsg } from 'nats';
import type { z } from 'zod';
import { AppError, counter, histogram } from '@omnigate/kit';
import { DEAD_LETTER_V1, Subjects } from '@omnigate/contracts';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { isNotFound } from './nats-connection';
import type { NatsConnection } from './nats-connection';
import { KeyedExecutor } from './keyed-executor';
import { PermanentError, RetryAfterError } from './bus.errors';

export interface MessageContext {
  /** The subject the message was published on: what the NATS server let its publisher use. */
  subject: string;
  streamSeq: number;
  deliveryCount: number;
  headers: Record<string, string>;
  /** Tells the server the handler is still working (resets ack_wait). */
  working(): void;
}

/** How a durable consumer paces itself; the app's configuration may set each. */
export interface ConsumerTuning {
  /** Deliveries before the message goes to the dead-letter subject. */
  maxDeliver?: number;
  /** Delay before redelivery after the n-th transient failure, ms. */
  backoffMs?: number[];
  ackWaitMs?: number;
  concurrency?: number;
}

export interface ConsumerSpec<S extends z.ZodType> extends ConsumerTuning {
  stream: string;
  /** Durable name, `<service>-<purpose>`: instances of one service share it (a work queue). */
  durable: string;
  filterSubject: string;
  schema: S;
  handle(payload: z.infer<S>, ctx: MessageContext): Promise<void>;
  /** Messages with the same key are handled one after the other, in order. */
  keyOf?: (payload: z.infer<S>) => string;
}

export interface RunningConsumer {
  /** Stops pulling, then waits for the messages in hand (never acks what it did not finish). */
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF = [500, 2000, 5000, 15_000, 30_000];
const outcomes = counter('omnigate_bus_consumed_total', 'Messages handled by a consumer', [
  'consumer',
  'outcome',
]);
const handleSeconds = histogram('omnigate_bus_handle_seconds', 'Handler time per message', [
  'consumer',
]);
const logger = new Logger('bus-consumer');

/**
 * A durable pull consumer: ack on success, nak with backoff on transient errors, term plus a
 * dead-letter entry on permanent errors, bad payloads, or after maxDeliver attempts. Shared by
 * BusConsumers and the Nest transport (BusTransport), so both keep exactly these semantics.
 */
export async function startDurableConsumer<S extends z.ZodType>(
  conn: NatsConnection,
  spec: ConsumerSpec<S>,
): Promise<RunningConsumer> {
  const maxDeliver = spec.maxDeliver ?? 5;
  await ensureConsumer(await conn.manager(), spec.stream, {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    // One more than ours, so the delivery after a crash loop reaches us and is dead-lettered.
    max_deliver: maxDeliver + 1,
    max_ack_pending: 1000,
  });
  const consumer = await conn.jetstream().consumers.get(spec.stream, spec.durable);
  const concurrency = spec.concurrency ?? 1;
  const messages = await consumer.consume({ max_messages: Math.max(concurrency * 2, 16) });
  const exec = new KeyedExecutor(concurrency);
  const loop = (async () => {
    for await (const m of messages) {
      await exec.slot();
      const parsed = spec.schema.safeParse(decode(m));
      if (!parsed.success) {
        const err = new PermanentError('BUS.PAYLOAD_INVALID', parsed.error.message);
        await deadLetter(conn, spec, m, err);
        continue;
      }
      const key = spec.keyOf ? spec.keyOf(parsed.data) : String(m.seq);
      exec.run(key, () => processOne(conn, spec, m, parsed.data, maxDeliver));
    }
  })();
  logger.log({ msg: 'consumer started', consumer: spec.durable, subject: spec.filterSubject });
  let stopping: Promise<void> | null = null;
  return {
    stop: () =>
      (stopping ??= (async () => {
        messages.stop();
        await loop.catch(() => undefined);
        await exec.idle();
      })()),
  };
}

async function processOne<S extends z.ZodType>(
  conn: NatsConnection,
  spec: ConsumerSpec<S>,
  m: JsMsg,
  payload: z.infer<S>,
  maxDeliver: number,
): Promise<void> {
  const deliveryCount = m.info.deliveryCount;
  if (deliveryCount > maxDeliver) {
    const why = `not acknowledged after ${maxDeliver} deliveries`;
    await deadLetter(conn, spec, m, new PermanentError('BUS.MAX_DELIVER_EXCEEDED', why));
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
      await deadLetter(conn, spec, m, err);
      return;
    }
    const backoff = spec.backoffMs ?? DEFAULT_BACKOFF;
    const delay =
      e instanceof RetryAfterError
        ? e.delayMs
        : (backoff[Math.min(deliveryCount - 1, backoff.length - 1)] ?? 1000);
    m.nak(delay);
    outcomes.inc({ consumer: spec.durable, outcome: 'nak' });
    logger.warn({
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

async function deadLetter<S extends z.ZodType>(
  conn: NatsConnection,
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
    await conn
      .jetstream()
      .publish(Subjects.deadLetter(spec.stream, spec.durable), Buffer.from(JSON.stringify(entry)), {
        msgID: `dlq:${spec.stream}:${spec.durable}:${m.seq}`,
      });
    m.term();
    outcomes.inc({ consumer: spec.durable, outcome: 'dead_letter' });
    logger.error({
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

/** Unknown failures (a dropped database connection...) are treated as transient. */
export function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('HANDLER.FAILED', e instanceof Error ? e.message : String(e), {
    cause: e,
    retryable: true,
  });
}
