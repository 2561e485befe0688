import type { KV, KvEntry, QueuedIterator } from 'nats';
import type { UnitView } from './partition-balance';

/** A partition's lease entry: who holds it, at which epoch, and where its consumer starts. */
export interface LeaseValue {
  owner: string | null;
  /** Bumped by every claim: the holder's consumer is named after it (the server-side fence). */
  epoch: number;
  /** First stream sequence of the current epoch's consumer, in case it was never made. */
  startSeq: number | null;
  /**
   * Set by a holder whose reading was disrupted (a NATS node lost): the first message it had not
   * finished then. The next epoch, whoever claims it, starts no later (the server may have passed
   * over a message after the disruption).
   */
  rewindFrom?: number;
}

interface Seen {
  revision: number;
  /** This instance's clock when it first saw this revision: staleness never compares clocks. */
  seenAt: number;
  value: LeaseValue | null;
}

/**
 * The lease bucket as this instance sees it, kept current by a KV watch. NATS 2.9 has no per-key
 * TTL, so a lease expires by observation: an entry whose revision did not change for a whole term
 * (by this instance's own clock) is stale and may be claimed, with a write that names that
 * revision, so that a holder that renewed meanwhile wins. Holders renew every term / 6 and trust
 * their lease for half a term after a renewal was sent: they stop before anyone may claim.
 */
export class PartitionLeases {
  private readonly seen = new Map<string, Seen>();
  private watcher: QueuedIterator<KvEntry> | null = null;
  private stopped = false;
  /** When the watch last delivered an entry (this instance's clock). */
  private lastEventAt = 0;
  private rewatching: Promise<void> | null = null;

  /**
   * `onRewatch` hears why the watch was opened again (its iterator ended, or it went silent):
   * the consumer logs and counts it.
   */
  constructor(
    private readonly kv: KV,
    private readonly group: string,
    private readonly termMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly onRewatch: (reason: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.openWatch();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  /**
   * The watch is what this instance knows of the others: if it ends (nats.js stops a KV watch
   * whose ordered consumer it could not recreate, e.g. after missed heartbeats on a loaded
   * machine) or goes silent, nothing would change in `seen` again. Another instance's heartbeat
   * would look stale, so this one would count itself alone and keep every partition while the
   * other, seeing these leases renewed, would claim none: a second router idle for good.
   */
  private async openWatch(): Promise<void> {
    const w = await this.kv.watch({ key: `${this.group}.>` });
    // Stopped while this watch was being opened (a rewatch at shutdown): not kept.
    if (this.stopped) {
      w.stop();
      return;
    }
    this.watcher = w;
    this.lastEventAt = this.now();
    void (async () => {
      let why = 'the lease watch ended';
      try {
        for await (const e of w) {
          this.lastEventAt = this.now();
          this.observe(e);
        }
      } catch (e) {
        why = `the lease watch failed (${(e as { code?: string }).code ?? 'error'})`;
      }
      if (!this.stopped && this.watcher === w) this.rewatch(why);
    })();
  }

  /** Opens the watch again (once at a time); a failure is tried again at the next heartbeat. */
  private rewatch(reason: string): void {
    if (this.stopped || this.rewatching) return;
    this.onRewatch(reason);
    const old = this.watcher;
    this.watcher = null;
    old?.stop();
    this.rewatching = this.openWatch()
      .catch(() => undefined)
      .finally(() => {
        this.rewatching = null;
      });
  }

  /** The lease of every unit, as seen now. */
  views(units: readonly string[]): Map<string, UnitView> {
    const out = new Map<string, UnitView>();
    for (const unit of units) {
      const s = this.seen.get(this.unitKey(unit));
      if (!s) continue;
      out.set(unit, { unit, owner: s.value?.owner ?? null, stale: this.isStale(s) });
    }
    return out;
  }

  /** Instances whose heartbeat changed within a term, `me` always included. */
  liveMembers(me: string): number {
    const prefix = `${this.group}.member.`;
    let n = 1;
    for (const [key, s] of this.seen) {
      if (key.startsWith(prefix) && key !== this.memberKey(me) && s.value && !this.isStale(s)) n++;
    }
    return n;
  }

  /**
   * Every term / 6. The put comes back through the watch: a watch that delivered nothing for a
   * whole term (or is not open) is not current, and is opened again.
   */
  async heartbeat(me: string): Promise<void> {
    await this.kv.put(this.memberKey(me), encode({ owner: me, epoch: 0, startSeq: null }));
    if (!this.watcher) this.rewatch('the lease watch is not open');
    else if (this.now() - this.lastEventAt >= this.termMs) {
      this.rewatch('the lease watch was silent for a lease term');
    }
  }

  async leave(me: string): Promise<void> {
    await this.kv.delete(this.memberKey(me));
  }

  /** The unit's current entry, read from the server (not the watch). */
  async read(unit: string): Promise<{ revision: number; value: LeaseValue | null }> {
    const e = await this.kv.get(this.unitKey(unit));
    if (!e) return { revision: 0, value: null };
    const value = e.operation === 'PUT' && e.value.length > 0 ? decode(e.value) : null;
    return { revision: e.revision, value };
  }

  /** Writes `value` only if the entry is still at `revision` (0: does not exist). New revision. */
  async write(unit: string, value: LeaseValue, revision: number): Promise<number> {
    const key = this.unitKey(unit);
    const rev =
      revision === 0
        ? await this.kv.create(key, encode(value))
        : await this.kv.update(key, encode(value), revision);
    this.observe({ key, revision: rev, operation: 'PUT', value: encode(value) });
    return rev;
  }

  /** The revision this instance saw for the unit, if any, and whether it went stale. */
  seenOf(unit: string): { revision: number; stale: boolean } | null {
    const s = this.seen.get(this.unitKey(unit));
    return s ? { revision: s.revision, stale: this.isStale(s) } : null;
  }

  private observe(e: Pick<KvEntry, 'key' | 'revision' | 'operation' | 'value'>): void {
    const prev = this.seen.get(e.key);
    if (prev && prev.revision >= e.revision) return;
    const live = e.operation === 'PUT' && e.value.length > 0;
    this.seen.set(e.key, {
      revision: e.revision,
      seenAt: this.now(),
      value: live ? decode(e.value) : null,
    });
  }

  private isStale(s: Seen): boolean {
    return this.now() - s.seenAt >= this.termMs;
  }

  private unitKey(unit: string): string {
    return `${this.group}.unit.${unit}`;
  }

  private memberKey(me: string): string {
    return `${this.group}.member.${me}`;
  }
}

function encode(v: LeaseValue): Uint8Array {
  return Buffer.from(JSON.stringify(v));
}

function decode(data: Uint8Array): LeaseValue | null {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as LeaseValue;
  } catch {
    return null;
  }
}
