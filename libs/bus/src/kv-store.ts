import { Injectable } from '@nestjs/common';
import type { KV } from 'nats';
import { NatsConnection } from './nats-connection';

interface Stored<T> {
  v: T;
  /** Epoch ms after which the entry is treated as absent (server 2.9 has no per-key TTL). */
  exp: number | null;
}

/** A typed view of one NATS KV bucket with expiry handled by the app. */
export class KvBucket<T> {
  constructor(private readonly kv: KV) {}

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

  async delete(key: string): Promise<void> {
    await this.kv.delete(kvKey(key));
  }
}

@Injectable()
export class KvStore {
  constructor(private readonly conn: NatsConnection) {}

  /** Opens (creating if needed) a bucket; `maxAgeMs` bounds how long any revision survives. */
  async bucket<T>(name: string, maxAgeMs: number): Promise<KvBucket<T>> {
    const kv = await this.conn.jetstream().views.kv(name, { history: 1, ttl: maxAgeMs });
    return new KvBucket<T>(kv);
  }
}

/** KV keys allow [-/_=.a-zA-Z0-9]; anything else is hex-escaped. */
export function kvKey(key: string): string {
  return key.replace(
    /[^-/_=.a-zA-Z0-9]/g,
    (c) => '_' + c.charCodeAt(0).toString(16).padStart(2, '0'),
  );
}
