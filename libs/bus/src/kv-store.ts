import { Injectable, Logger } from '@nestjs/common';
import type { KV } from 'nats';
import { NatsConnection } from './nats-connection';
import { ensureReplicas, replicasError } from './replicas';

interface Stored<T> {
  v: T;
  /** Epoch ms after which the entry is treated as absent (server 2.9 has no per-key TTL). */
  exp: number | null;
}

/** A typed view of one NATS KV bucket with expiry handled by the app. */
export class KvBucket<T> {
  constructor(private readonly kv: KV) {}

  /** The same bucket with entries of another shape under other keys (no second open). */
  as<U>(): KvBucket<U> {
    return new KvBucket<U>(this.kv);
  }

  async get(key: string, now = Date.now()): Promise<T | undefined> {
    const entry = await this.kv.get(kvKey(key));
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    const stored = JSON.parse(Buffer.from(entry.value).toString('utf8')) as Stored<T>;
    if (stored.exp !== null && stored.exp <= now) return undefined;
    return stored.v;
  }

  async put(key: string, value: T, ttlMs: number | null, now = Date.now()): Promise<void> {
    const stored: Stored<T> = { v: value, exp: ttlMs === null ? null : now + ttlMs };
    await this.kv.put(kvKey(key), Buffer.from(JSON.stringify(stored)));
  }

  /**
   * Read-modify-write without losing a concurrent writer (another instance of the same app): the
   * write names the revision it read, and a conflict reads again. `change` returns null to leave
   * the entry as it is.
   */
  async modify(
    key: string,
    change: (current: T | undefined) => T | null,
    ttlMs: number | null,
    now = Date.now(),
  ): Promise<void> {
    const k = kvKey(key);
    for (let attempt = 0; ; attempt++) {
      const entry = await this.kv.get(k);
      const live = entry?.operation === 'PUT' && entry.value.length > 0;
      const stored = live
        ? (JSON.parse(Buffer.from(entry.value).toString('utf8')) as Stored<T>)
        : null;
      const current = stored && (stored.exp === null || stored.exp > now) ? stored.v : undefined;
      const next = change(current);
      if (next === null) return;
      const data = Buffer.from(
        JSON.stringify({ v: next, exp: ttlMs === null ? null : now + ttlMs } satisfies Stored<T>),
      );
      try {
        if (entry) await this.kv.update(k, data, entry.revision);
        else await this.kv.create(k, data);
        return;
      } catch (e) {
        // Someone wrote between our read and our write: read again after a short random pause,
        // so that writers of one hot key (an OTP limit under a flood) spread out; then give up.
        if (attempt >= MAX_CAS_ATTEMPTS - 1 || !isWrongRevision(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(kvKey(key));
  }
}

@Injectable()
export class KvStore {
  private readonly logger = new Logger('bus');

  constructor(private readonly conn: NatsConnection) {}

  /**
   * Opens (creating if needed) a bucket; `maxAgeMs` bounds how long any revision survives. Its
   * stream gets the bus's replica count (nats.js sets it only when it creates the bucket).
   */
  async bucket<T>(name: string, maxAgeMs: number): Promise<KvBucket<T>> {
    const replicas = this.conn.options.replicas;
    const kv = await this.conn
      .jetstream()
      .views.kv(name, { history: 1, ttl: maxAgeMs, replicas: replicas ?? 1 })
      .catch((e: unknown) => {
        throw replicasError(e, `KV_${name}`, replicas ?? 1);
      });
    await ensureReplicas(await this.conn.manager(), `KV_${name}`, replicas, (entry) =>
      this.logger.warn(entry),
    );
    return new KvBucket<T>(kv);
  }
}

/** Read-change-write attempts on one key before the caller's handler fails (and is retried). */
const MAX_CAS_ATTEMPTS = 16;

function isWrongRevision(e: unknown): boolean {
  const err = e as { api_error?: { err_code?: number }; message?: string } | null;
  return (
    err?.api_error?.err_code === 10071 || /wrong last sequence|exists/i.test(err?.message ?? '')
  );
}

/** KV keys allow [-/_=.a-zA-Z0-9]; anything else is hex-escaped. */
export function kvKey(key: string): string {
  return key.replace(
    /[^-/_=.a-zA-Z0-9]/g,
    (c) => '_' + c.charCodeAt(0).toString(16).padStart(2, '0'),
  );
}
