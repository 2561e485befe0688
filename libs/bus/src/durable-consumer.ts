import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { JsMsg } from 'nats';
import type { z } from 'zod';
import { AppError, counter, histogram, isTransientFailure } from '@omnigate/kit';
import type { NatsConnection } from './nats-connection';
import { KeyedExecutor } from './keyed-executor';
import { watchConsumerLag } from './consumer-lag';
import { KeepAlive } from './keep-alive';
import { deadLetter } from './dead-letter-writer';
import { contextOf, decode, ensureConsumer } from './consumer-plumbing';
import { outageDelay, sleepUnlessStopped } from './outage-wait';
import { PermanentError, RetryAfterError } from './bus.errors';
import { traceDelivery } from './trace-context';
import { ReadPosition, watchDisruptions } from './consumer-disruption';
import { RecentIds, fillGapBefore } from './gap-fill';

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
  /**
   * Deliveries before the message goes to the dead-letter subject. Waiting out a transient
   * failure (a dependency down) holds the message in one delivery: it never counts.
   */
  maxDeliver?: number;
  /**
   * Delay before the n-th retry, ms: redelivery after a retryable error, or the next try while
   * waiting out a transient one (the last delay is then the cap, however long it takes).
   */
  backoffMs?: number[];
  ackWaitMs?: number;
  concurrency?: number;
  /** Partitioned consumers: how long a lease lives without renewal, ms. */
  leaseTermMs?: number;
}

export interface ConsumerSpec<S extends z.ZodType> extends ConsumerTuning {
  stream: string;
  /** Durable name, `<service>-<purpose>`: instances of one service share it (a work queue). */
  durable: string;
  filterSubject: string;
  schema: S;
  handle(payload: z.infer<S>, ctx: MessageContext): Promise<void>;
  /**
   * Messages with the same key are handled one after the other, in order: a retryable failure is
   * retried in place (with backoff) rather than nak'ed, so the key's next message cannot overtake.
   */
  keyOf?: (payload: z.infer<S>) => string;
  /** The consumer's name on the server when it differs from `durable` (a partition's epoch). */
  consumerName?: string;
  /** Creating the consumer: its first stream sequence (a partition taken over), else all. */
  startSeq?: number;
  /**
   * Called when the consumer's reading was disrupted (its leader's node lost, the connection
   * broken): reading must start again from before it (RunningConsumer.firstUnfinishedSince),
   * because the server may have passed over a message meanwhile (consumer-disruption.ts).
   */
  onDisruption?: () => void;
  /**
   * False while this instance may not handle the consumer's messages (a partition lease it could
   * not renew in time): they wait in hand, unhandled, and are handed back if the consumer stops.
   */
  fence?: () => boolean;
  /**
   * True while the stream is suspect (a replica may be catching up: stream-suspicion.ts): each
   * delivery is then checked, through the stream's leader, for messages the server passed over
   * before it (gap-fill.ts), and those are handled first.
   */
  gapCheck?: () => boolean;
}

export interface RunningConsumer {
  /** Stops pulling, then waits for the messages in hand (never acks what it did not finish). */
  stop(): Promise<void>;
  /** The first stream sequence this consumer had not finished `windowMs` ago (or since). */
  firstUnfinishedSince?(windowMs: number): number;
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
/** How often a message held by a closed fence looks whether it opened again. */
const FENCE_POLL_MS = 100;
/** How long one pull waits at the server; heartbeats come every half of it (nats.js). */
const PULL_EXPIRES_MS = 5000;

interface Running<S extends z.ZodType> {
  conn: NatsConnection;
  spec: ConsumerSpec<S>;
  maxDeliver: number;
  keepAlive: KeepAlive;
  /** Aborted when the consumer stops: a message waiting out an outage is handed back. */
  stopping: AbortSignal;
  position: ReadPosition;
}

/**
 * A durable pull consumer: ack on success; a transient failure (a dependency down: database,
 * core banking, a NATS request) holds the message, kept alive, and tries again with capped
 * backoff for as long as it takes, never dead-lettering it; another retryable error naks with
 * backoff; a permanent error, a bad payload, or maxDeliver attempts term it onto the dead-letter
 * subject. Shared by BusConsumers and the Nest transport (BusTransport).
 */
export async function startDurableConsumer<S extends z.ZodType>(
  conn: NatsConnection,
  spec: ConsumerSpec<S>,
): Promise<RunningConsumer> {
  const maxDeliver = spec.maxDeliver ?? 5;
  const ackWaitMs = spec.ackWaitMs ?? 30_000;
  const name = spec.consumerName ?? spec.durable;
  await ensureConsumer(await conn.manager(), spec.stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    ...(spec.startSeq === undefined
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: spec.startSeq }),
    filter_subject: spec.filterSubject,
    ack_wait: nanos(ackWaitMs),
    // Unlimited on the server: past its max_deliver the server drops a message silently and
    // moves the ack floor past it once later ones are acknowledged (a partition's next epoch
    // starts there). Our own count dead-letters it instead, where an operator can redrive it.
    max_deliver: -1,
    max_ack_pending: 1000,
  });
  const consumer = await conn.jetstream().consumers.get(spec.stream, name);
  const concurrency = spec.concurrency ?? 1;
  // The client pulls ahead whether or not we read (up to max_ack_pending), so every message is
  // read at once and kept alive until its turn: none sits unseen while its ack_wait runs out.
  // Short pulls: a pull waiting at a NATS node that died is noticed after two missed heartbeats
  // (expires / 2 each) and placed again. With nats.js's default 30 s the router stood still for
  // over 40 s after a cluster node was killed (test/e2e/nats-node-loss.e2e-spec.ts).
  const messages = await consumer.consume({
    max_messages: Math.max(concurrency * 2, 16),
    expires: PULL_EXPIRES_MS,
  });
  const exec = new KeyedExecutor(concurrency);
  const abort = new AbortController();
  const position = new ReadPosition(spec.startSeq);
  const run: Running<S> = {
    conn,
    spec,
    maxDeliver,
    keepAlive: new KeepAlive(ackWaitMs),
    stopping: abort.signal,
    position,
  };
  const onDisruption = spec.onDisruption;
  const unwatchDisruptions = onDisruption
    ? watchDisruptions(conn.connection(), messages, onDisruption)
    : () => undefined;
  const gapRun = {
    ...run,
    exec,
    toError: asAppError,
    filledSeqs: new Set<number>(),
    recent: new RecentIds(),
  };
  const loop = (async () => {
    for await (const m of messages) {
      if (spec.gapCheck?.()) await fillGapBefore(gapRun, m);
      position.received(m.seq);
      const parsed = spec.schema.safeParse(decode(m));
      if (!parsed.success) {
        const err = new PermanentError('BUS.PAYLOAD_INVALID', parsed.error.message);
        await toDeadLetters(run, m, err);
        position.finished(m.seq);
        continue;
      }
      run.keepAlive.hold(m);
      const key = spec.keyOf ? spec.keyOf(parsed.data) : String(m.seq);
      exec.run(key, () => processOne(run, m, parsed.data));
    }
  })();
  logger.log({ msg: 'consumer started', consumer: name, subject: spec.filterSubject });
  const unwatch = watchConsumerLag(conn, {
    stream: spec.stream,
    durable: spec.durable,
    consumer: name,
  });
  let stopped: Promise<void> | null = null;
  return {
    firstUnfinishedSince: (windowMs) => position.firstUnfinishedSince(windowMs),
    stop: () =>
      (stopped ??= (async () => {
        unwatch();
        unwatchDisruptions();
        messages.stop();
        abort.abort();
        await loop.catch(() => undefined);
        await exec.idle();
        run.keepAlive.stop();
      })()),
  };
}

async function processOne<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  payload: z.infer<S>,
): Promise<void> {
  const { spec, maxDeliver } = run;
  try {
    if (!(await fenceOpen(run, m))) return handBack(run, m);
    if (m.info.deliveryCount > maxDeliver) {
      const why = `not acknowledged after ${maxDeliver} deliveries`;
      await toDeadLetters(run, m, new PermanentError('BUS.MAX_DELIVER_EXCEEDED', why));
      return;
    }
    // Tries of this delivery: a keyed consumer retries in place, so it counts them itself.
    let tries = m.info.deliveryCount;
    for (let attempt = 1; ; attempt++) {
      run.keepAlive.release(m);
      const failure = await tryOnce(run, m, payload, tries);
      if (!failure) return;
      if (isTransientFailure(failure)) {
        if (!(await waitOut(run, m, failure, attempt))) return handBack(run, m);
      } else if (spec.keyOf && failure.retryable && tries < maxDeliver) {
        if (!(await retryInPlace(run, m, failure, tries))) return handBack(run, m);
        tries++;
      } else {
        return await onFailure(run, m, failure, tries);
      }
      if (!(await fenceOpen(run, m))) return handBack(run, m);
    }
  } finally {
    run.keepAlive.release(m);
    run.position.finished(m.seq);
    run.conn.outages.end(spec.durable, m.seq);
  }
}

/** One handler run: acks on success, else gives back the error (as an AppError). */
async function tryOnce<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  payload: z.infer<S>,
  tries: number,
): Promise<AppError | null> {
  const end = handleSeconds.startTimer({ consumer: run.spec.durable });
  try {
    const ctx = { ...contextOf(m), deliveryCount: tries };
    await traceDelivery('process', run.spec.durable, m, () => run.spec.handle(payload, ctx));
    m.ack();
    outcomes.inc({ consumer: run.spec.durable, outcome: 'ack' });
    return null;
  } catch (e) {
    return asAppError(e);
  } finally {
    end();
  }
}

/**
 * A dependency is down: hold the message (kept alive, in order with its key) and wait, with
 * backoff capped at the consumer's longest delay, before trying again. False when the consumer
 * stops meanwhile.
 */
async function waitOut<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  err: AppError,
  attempt: number,
): Promise<boolean> {
  const { spec } = run;
  run.conn.outages.begin(spec.durable, m.seq, err.code);
  run.keepAlive.holdNow(m);
  outcomes.inc({ consumer: spec.durable, outcome: 'wait' });
  const delay = outageDelay(spec.backoffMs ?? DEFAULT_BACKOFF, attempt);
  if (attempt === 1 || attempt % 10 === 0) {
    logger.warn({
      msg: 'a dependency is unavailable: holding the message and trying again',
      consumer: spec.durable,
      seq: m.seq,
      attempt,
      delayMs: delay,
      code: err.code,
    });
  }
  return sleepUnlessStopped(delay, run.stopping);
}

/**
 * Waits while the fence is closed (a partition lease this instance could not renew in time, e.g.
 * its bucket had no leader during a NATS failover): the message stays in hand, kept alive, until
 * the fence opens again (the renewal went through) or the consumer stops (the partition was lost
 * or released), then true or false. Never a nak while fenced: a nak came back at once, so a
 * fence closed for a few seconds burnt every delivery of the messages in hand, and past the
 * server's max_deliver they were dropped without a trace.
 */
async function fenceOpen<S extends z.ZodType>(run: Running<S>, m: JsMsg): Promise<boolean> {
  const fence = run.spec.fence ?? (() => true);
  if (run.stopping.aborted) return false;
  if (fence()) return true;
  run.keepAlive.holdNow(m);
  outcomes.inc({ consumer: run.spec.durable, outcome: 'fenced' });
  while (!fence()) {
    if (!(await sleepUnlessStopped(FENCE_POLL_MS, run.stopping))) return false;
  }
  return !run.stopping.aborted;
}

/**
 * A keyed consumer's retryable failure: the message stays in hand (kept alive, its key blocked)
 * and is tried again after the backoff, instead of a nak that would let the key's next message
 * overtake it. False when the consumer stops meanwhile.
 */
async function retryInPlace<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  err: AppError,
  tries: number,
): Promise<boolean> {
  const { spec } = run;
  const backoff = spec.backoffMs ?? DEFAULT_BACKOFF;
  const delay =
    err instanceof RetryAfterError
      ? err.delayMs
      : (backoff[Math.min(tries - 1, backoff.length - 1)] ?? 1000);
  run.keepAlive.holdNow(m);
  outcomes.inc({ consumer: spec.durable, outcome: 'retry' });
  logger.warn({
    msg: 'handler failed, will retry in place (its key waits)',
    consumer: spec.durable,
    seq: m.seq,
    tries,
    delayMs: delay,
    code: err.code,
    // A driver's code (an SQLSTATE such as 40P01) says what failed without the message's data.
    causeCode: causeCodeOf(err),
  });
  return sleepUnlessStopped(delay, run.stopping);
}

/** A retryable error naks with backoff until maxDeliver; anything else is dead-lettered. */
async function onFailure<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  err: AppError,
  deliveryCount: number,
): Promise<void> {
  const { spec, maxDeliver } = run;
  if (!err.retryable || deliveryCount >= maxDeliver) {
    await toDeadLetters(run, m, err);
    return;
  }
  const backoff = spec.backoffMs ?? DEFAULT_BACKOFF;
  const delay =
    err instanceof RetryAfterError
      ? err.delayMs
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
}

/** Stopping: the message goes back to the server at once, for another instance or the restart. */
function handBack<S extends z.ZodType>(run: Running<S>, m: JsMsg): void {
  try {
    m.nak();
  } catch {
    // Disconnected: ack_wait runs out and the server redelivers it.
  }
  outcomes.inc({ consumer: run.spec.durable, outcome: 'handed_back' });
}

async function toDeadLetters<S extends z.ZodType>(
  run: Running<S>,
  m: JsMsg,
  err: AppError,
): Promise<void> {
  const done = await deadLetter(run.conn, run.spec, m, err);
  if (done) outcomes.inc({ consumer: run.spec.durable, outcome: 'dead_letter' });
}

function causeCodeOf(err: AppError): string | undefined {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Unknown failures are retried a few times; one that says a dependency is down (a refused or
 * dropped database connection...) is transient: waited out, never dead-lettered.
 */
export function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (isTransientFailure(e)) {
    return new AppError('DEPENDENCY.UNAVAILABLE', message, { cause: e, transient: true });
  }
  return new AppError('HANDLER.FAILED', message, { cause: e, retryable: true });
}
