import { ConsumerEvents, Events } from 'nats';
import type { ConsumerMessages, NatsConnection as RawConnection } from 'nats';

/**
 * What a consumer has received and finished of its stream, to say where reading must start again
 * so that nothing unfinished is passed over. The server delivers a consumer's first deliveries in
 * stream order, so every message below the last one seen was seen, unless the server skipped it.
 */
export class ReadPosition {
  private readonly inHand = new Set<number>();
  private lastSeen = 0;

  constructor(private readonly startSeq: number | undefined) {}

  received(seq: number): void {
    this.inHand.add(seq);
    if (seq > this.lastSeen) this.lastSeen = seq;
  }

  finished(seq: number): void {
    this.inHand.delete(seq);
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
