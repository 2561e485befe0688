import { Logger } from '@nestjs/common';
import type { JsMsg, StoredMsg } from 'nats';
import type { z } from 'zod';
import { counter, isTransientFailure } from '@omnigate/kit';
import type { AppError } from '@omnigate/kit';
import type { NatsConnection } from './nats-connection';
import type { ConsumerSpec } from './durable-consumer';
import type { KeyedExecutor } from './keyed-executor';
import type { KeepAlive } from './keep-alive';
import type { ReadPosition } from './consumer-disruption';
import { nextStored, parseJson } from './partition-catch-up';
import { outageDelay, sleepUnlessStopped } from './outage-wait';
import { publishDeadLetter } from './dead-letter-writer';
import { PermanentError } from './bus.errors';

/** How long a delivery waits for the stream's leader to answer its gap check, then goes on. */
const GAP_CHECK_PATIENCE_MS = 15_000;
const GAP_CHECK_RETRY_MS = 250;
/** How far past a delivery's sequence the leader's messages are read while looking for it by id. */
const MAX_SCAN = 50;
const MSG_ID = 'Nats-Msg-Id';
/** How far before the last message received a scan starts (stream sequences). */
const MARGIN = 64;
const RECENT_KEPT = 512;
const FENCE_POLL_MS = 100;
const DEFAULT_BACKOFF = [500, 2000, 5000, 15_000, 30_000];

const checks = counter(
  'omnigate_bus_gap_checks_total',
  'Deliveries checked, while the stream was suspect, for messages the server passed over (late: a first delivery below one received, which no check can see)',
  ['consumer', 'outcome'],
);
const filled = counter(
  'omnigate_bus_gap_filled_total',
  'Messages the server passed over, read through the stream leader and handled in stream order',
  ['consumer', 'outcome'],
);
const logger = new Logger('bus-consumer');

/** What the gap check needs of a running durable consumer. */
export interface GapRun<S extends z.ZodType> {
  conn: NatsConnection;
  spec: ConsumerSpec<S>;
  maxDeliver: number;
  stopping: AbortSignal;
  position: ReadPosition;
  keepAlive: KeepAlive;
  exec: KeyedExecutor;
  toError(e: unknown): AppError;
  /** Passed-over messages read through the leader: the server may still deliver them late. */
  filledSeqs: Set<number>;
  recent: RecentIds;
}

/**
 * Before delivery `m` is handled: asks the stream's leader for the consumer's messages between the
 * last one it saw and `m`. nats-server 2.9.10 can move a consumer past a message without delivering
 * it while a replica catches up (README "Order after a skip"); any found are queued first, each
 * with its key, so a conversation's order holds. Only while the stream is suspect: it costs one
 * request per delivery. A leader that gives no conclusive answer in time leaves `m` checked only
 * as far as it answered (the partition still reads again after trouble).
 */
export async function fillGapBefore<S extends z.ZodType>(run: GapRun<S>, m: JsMsg): Promise<void> {
  if (run.stopping.aborted) return;
  const after = run.position.lastKnown();
  // A delivery went unrecorded (the stream was calm): what was received before is not known by id.
  if (run.recent.lastSeq !== after) run.recent.clear();
  if (after !== undefined && m.seq <= after && m.info.deliveryCount === 1) {
    // A first delivery below one already received, not read through the leader before: it comes
    // after what followed it, and no check could have seen it coming.
    if (!run.filledSeqs.delete(m.seq)) checks.inc({ consumer: run.spec.durable, outcome: 'late' });
  }
  const id = m.headers?.get(MSG_ID) || undefined;
  // Nothing can lie between two neighbours, and a redelivery comes after what it follows.
  if (after !== undefined && m.seq > after + 1) {
    run.keepAlive.hold(m);
    const answer = await missedBefore(run, after, m, id);
    run.keepAlive.release(m);
    if (answer.outcome === 'stopped') return;
    countCheck(run, answer);
    for (const x of answer.missed) queueMissed(run, x);
  }
  run.recent.add(id, m.seq);
}

function countCheck<S extends z.ZodType>(run: GapRun<S>, { missed, outcome }: GapAnswer): void {
  const consumer = run.spec.durable;
  if (outcome === 'unchecked') {
    logger.warn({ msg: 'gap check not conclusive in time', consumer, found: missed.length });
  }
  const counted = outcome === 'unchecked' ? outcome : missed.length ? 'gap' : 'clear';
  checks.inc({ consumer, outcome: counted });
}

interface GapAnswer {
  missed: StoredMsg[];
  outcome: 'checked' | 'unchecked' | 'stopped';
}

/**
 * The filter's messages the leader holds before the delivery `m` that this consumer did not
 * receive. Conclusive once the leader's scan reaches `m` itself: by its message id when it has one
 * (a replica catching up may number messages otherwise than the leader, so the scan also starts a
 * little before the last one received and skips what was received, by id), else by sequence. A
 * leader just elected may still be applying its log: no answer, nothing, or only other messages is
 * asked again, until the patience runs out; then only what lies below `m`'s sequence counts.
 */
async function missedBefore<S extends z.ZodType>(
  run: GapRun<S>,
  after: number,
  m: JsMsg,
  id: string | undefined,
): Promise<GapAnswer> {
  const { stream, filterSubject } = run.spec;
  const deadline = performance.now() + GAP_CHECK_PATIENCE_MS;
  const since = run.recent.since();
  const start =
    id !== undefined && since !== undefined ? Math.max(since, after + 1 - MARGIN) : after + 1;
  const found: StoredMsg[] = [];
  let from = start;
  for (;;) {
    // A failure is no leader yet (an election under way) or a timeout: asked again, briefly.
    const x = await nextStored(run.conn, stream, filterSubject, from).catch(() => undefined);
    const xid = x?.header?.get(MSG_ID) || undefined;
    if (x && (id !== undefined ? xid === id : x.seq === m.seq)) {
      return { missed: found, outcome: 'checked' };
    }
    if (x && xid !== undefined && run.recent.has(xid)) {
      from = x.seq + 1; // Received already: not missed.
      continue;
    }
    // Past `m`'s sequence only with an id to find `m` by, and not too far.
    if (x && (x.seq < m.seq || (id !== undefined && found.length < MAX_SCAN))) {
      found.push(x);
      from = x.seq + 1;
      continue;
    }
    if (performance.now() > deadline) {
      return { missed: found.filter((f) => f.seq < m.seq), outcome: 'unchecked' };
    }
    if (!(await sleepUnlessStopped(GAP_CHECK_RETRY_MS, run.stopping))) {
      return { missed: [], outcome: 'stopped' };
    }
    found.length = 0;
    from = start;
  }
}

/**
 * Message ids a consumer received while its stream was suspect, with the lowest sequence since
 * which every delivery was recorded: a gap check's scan may start before the last one received.
 */
export class RecentIds {
  private readonly ids = new Map<string, number>();
  private low: number | undefined;
  lastSeq: number | undefined;

  add(id: string | undefined, seq: number): void {
    this.low ??= seq;
    this.lastSeq = Math.max(this.lastSeq ?? seq, seq);
    if (id === undefined) return;
    this.ids.set(id, seq);
    if (this.ids.size <= RECENT_KEPT) return;
    const [oldest] = this.ids;
    this.ids.delete(oldest![0]);
    this.low = Math.max(this.low, oldest![1] + 1);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  since(): number | undefined {
    return this.low;
  }

  clear(): void {
    this.ids.clear();
    this.low = undefined;
    this.lastSeq = undefined;
  }
}

function queueMissed<S extends z.ZodType>(run: GapRun<S>, x: StoredMsg): void {
  const { spec } = run;
  // In hand until handled: a rewind of the partition meanwhile starts no later than it.
  run.position.received(x.seq);
  run.filledSeqs.add(x.seq);
  run.recent.add(x.header?.get(MSG_ID) || undefined, x.seq);
  const parsed = spec.schema.safeParse(parseJson(x.data));
  const key = parsed.success && spec.keyOf ? spec.keyOf(parsed.data) : String(x.seq);
  logger.warn({
    msg: 'message passed over by the server: handled first',
    consumer: spec.durable,
    seq: x.seq,
  });
  run.exec.run(key, async () => {
    const done = parsed.success
      ? await handleMissed(run, x, parsed.data)
      : await giveUp(run, x, new PermanentError('BUS.PAYLOAD_INVALID', parsed.error.message), 1);
    if (!done) {
      // Left unfinished in the read position: a rewind of the partition still starts before it.
      logger.warn({
        msg: 'stopped before a passed-over message',
        consumer: spec.durable,
        seq: x.seq,
      });
      return;
    }
    run.position.finished(x.seq);
  });
}

/**
 * Handles a passed-over message with the consumer's policy: it waits at a closed fence, waits out
 * a dependency's outage, retries in place up to maxDeliver, else goes to the dead letters. There
 * is no delivery to ack or nak. False when the consumer stopped first.
 */
async function handleMissed<S extends z.ZodType>(
  run: GapRun<S>,
  x: StoredMsg,
  payload: z.infer<S>,
): Promise<boolean> {
  const { spec } = run;
  const backoff = spec.backoffMs ?? DEFAULT_BACKOFF;
  const headers: Record<string, string> = {};
  for (const k of x.header?.keys() ?? []) headers[k] = x.header?.get(k) ?? '';
  let tries = 1;
  for (let attempt = 1; ; attempt++) {
    if (!(await fenceOpen(run))) return false;
    const ctx = { subject: x.subject, streamSeq: x.seq, deliveryCount: tries, headers };
    try {
      await spec.handle(payload, { ...ctx, working: () => undefined });
      filled.inc({ consumer: spec.durable, outcome: 'handled' });
      return true;
    } catch (e) {
      const err = run.toError(e);
      if (!isTransientFailure(err) && (!err.retryable || tries >= run.maxDeliver)) {
        return giveUp(run, x, err, tries);
      }
      const delay = isTransientFailure(err)
        ? outageDelay(backoff, attempt)
        : (backoff[Math.min(tries - 1, backoff.length - 1)] ?? 1000);
      if (!isTransientFailure(err)) tries++;
      if (!(await sleepUnlessStopped(delay, run.stopping))) return false;
    }
  }
}

async function giveUp<S extends z.ZodType>(
  run: GapRun<S>,
  x: StoredMsg,
  err: AppError,
  tries: number,
): Promise<boolean> {
  const given = { subject: x.subject, seq: x.seq, deliveryCount: tries, data: x.data };
  for (let attempt = 1; ; attempt++) {
    if (await publishDeadLetter(run.conn, run.spec, given, err)) {
      filled.inc({ consumer: run.spec.durable, outcome: 'dead_letter' });
      return true;
    }
    const delay = outageDelay(run.spec.backoffMs ?? DEFAULT_BACKOFF, attempt);
    if (!(await sleepUnlessStopped(delay, run.stopping))) return false;
  }
}

async function fenceOpen<S extends z.ZodType>(run: GapRun<S>): Promise<boolean> {
  const fence = run.spec.fence ?? (() => true);
  while (!fence()) {
    if (!(await sleepUnlessStopped(FENCE_POLL_MS, run.stopping))) return false;
  }
  return !run.stopping.aborted;
}
