import { Injectable, Logger } from '@nestjs/common';
import { nanos } from 'nats';
import type { ObjectStore } from 'nats';
import { NatsConnection } from './nats-connection';
import { ensureReplicas, replicasError } from './replicas';

/** One JetStream object store bucket: whole objects in, whole objects out. */
export class ObjectBucket {
  constructor(private readonly os: ObjectStore) {}

  /** Stores (or replaces) the object; resolves once JetStream has every chunk. */
  async put(name: string, data: Uint8Array): Promise<void> {
    await this.os.putBlob({ name }, data);
  }

  /** The object's bytes, or null when there is none (never stored, deleted, or aged out). */
  async get(name: string): Promise<Buffer | null> {
    const data = await this.os.getBlob(name);
    return data ? Buffer.from(data) : null;
  }

  /** Idempotent: deleting an object that is not there is not an error. */
  async delete(name: string): Promise<void> {
    if (await this.os.info(name)) await this.os.delete(name);
  }
}

/**
 * The JetStream object store (bytes too large or too sensitive for a message, e.g. sealed email
 * attachments). Not in BusModule: an app that needs it lists it among its own providers.
 */
@Injectable()
export class ObjectStoreClient {
  private readonly logger = new Logger('bus');
  private readonly buckets = new Map<string, Promise<ObjectBucket>>();

  constructor(private readonly conn: NatsConnection) {}

  /**
   * Opens (creating if needed) a bucket; `maxAgeMs` bounds how long any object survives. Its
   * stream gets the bus's replica count (nats.js sets it only when it creates the bucket).
   */
  bucket(name: string, maxAgeMs: number): Promise<ObjectBucket> {
    let open = this.buckets.get(name);
    if (!open) {
      open = this.open(name, maxAgeMs);
      // A failed open (NATS down) is retried on the next call, not cached.
      open.catch(() => this.buckets.delete(name));
      this.buckets.set(name, open);
    }
    return open;
  }

  private async open(name: string, maxAgeMs: number): Promise<ObjectBucket> {
    const replicas = this.conn.options.replicas;
    const os = await this.conn
      .jetstream()
      .views.os(name, { ttl: nanos(maxAgeMs), replicas: replicas ?? 1 })
      .catch((e: unknown) => {
        throw replicasError(e, `OBJ_${name}`, replicas ?? 1);
      });
    await ensureReplicas(await this.conn.manager(), `OBJ_${name}`, replicas, (entry) =>
      this.logger.warn(entry),
    );
    return new ObjectBucket(os);
  }
}
