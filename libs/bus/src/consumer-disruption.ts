import { ConsumerEvents, Events } from 'nats';
import type { ConsumerMessages, NatsConnection as RawConnection } from 'nats';

const MARK_EVERY_MS = 1000;
const MARKS_KEPT_MS = 120_000;

/**
 * What a consumer has received and finished of its stream, to say where reading must start again
 * so that nothing unfinished is passed over. The server delivers a consumer's first deliveries in
 * stream order, so every message below the last one seen was seen, unless the server skipped it.
 */
export class ReadPosition {
  private readonly inHand = new Set<number>();
  private lastSeen = 0;
  /** firstUnfinished() as it was, about once a second: a disruption noticed late looks back. */
  private readonly marks: Array<{ at: number; pos: number }> = [];

  constructor(
    private readonly startSeq: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  received(seq: number): void {
    this.mark();
    this.inHand.add(seq);
    if (seq > this.lastSeen) this.lastSeen = seq;
  }

  /**
   * The first unfinished message as it was `windowMs` ago (or since): a server that passed over
   * a message did so before anyone noticed, so reading starts again from before it.
   */
  firstUnfinishedSince(windowMs: number): number {
    const from = this.now() - windowMs;
    let pos = this.firstUnfinished();
    for (let i = this.marks.length - 1; i >= 0; i--) {
      pos = Math.min(pos, this.marks[i]!.pos);
      if (this.marks[i]!.at < from) break;
    }
    return pos;
  }

  /**
   * The last message the consumer is known to have passed: the highest it received, else the one
   * before where it started; undefined for a consumer that started at the stream's beginning and
   * received nothing yet (nothing to compare against).
   */
  lastKnown(): number | undefined {
    if (this.lastSeen > 0) return this.lastSeen;
    return this.startSeq === undefined ? undefined : this.startSeq - 1;
  }

  finished(seq: number): void {
    this.inHand.delete(seq);
  }

  private mark(): void {
    const at = this.now();
    const last = this.marks[this.marks.length - 1];
    if (last && at - last.at < MARK_EVERY_MS) return;
    this.marks.push({ at, pos: this.firstUnfinished() });
    // One mark older than the longest look-back is kept: it is where that look-back starts.
    while (this.marks.length > 1 && this.marks[1]!.at < at - MARKS_KEPT_MS) this.marks.shift();
  }

  /** The lowest stream sequence not known finished: the lowest in hand, else after the last seen. */
  firstUnfinished(): number {
    let low = Infinity;
    for (const s of this.inHand) if (s < low) low = s;
    if (low !== Infinity) return low;
    return this.lastSeen > 0 ? this.lastSeen + 1 : (this.startSeq ?? 1);
  }
}

/**
 * Calls `onDisruption` when the consumer's pulls were lost (heartbeats missed: the node that led
 * the consumer died) or the connection came back after a break. nats-server 2.9 can pass over a
 * message after such a leader change (an acknowledgement of a delivery the new leader did not
 * know of moves its position ahead: nats-io/nats-server#6469), and nothing on the client shows
 * which. The caller reads again from the first unfinished message. Gives back a stop function.
 */
export function watchDisruptions(
  nc: RawConnection,
  messages: ConsumerMessages,
  onDisruption: () => void,
): () => void {
  let stopped = false;
  const connection = nc.status();
  void (async () => {
    for await (const s of connection) {
      if (stopped) break;
      if (s.type === Events.Reconnect) onDisruption();
    }
  })().catch(() => undefined);
  void (async () => {
    for await (const s of await messages.status()) {
      if (stopped) break;
      if (s.type === ConsumerEvents.HeartbeatsMissed) onDisruption();
    }
  })().catch(() => undefined);
  return () => {
    stopped = true;
    // Typed as a plain AsyncIterable, made as nats.js's queued iterator: stop() unregisters it.
    (connection as { stop?: () => void }).stop?.();
  };
}
