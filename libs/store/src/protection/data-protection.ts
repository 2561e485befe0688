import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { KmsPort, blindIndex, gcmSeal, sealField } from '@omnigate/crypto';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import { dataKeys } from '../schema';
import { DataOpener } from './data-opener';
import type { KeyOwner } from './data-opener';

export { DataOpener, ERASED, customerOwner } from './data-opener';
export type { KeyOwner } from './data-opener';

export const DATA_INDEX_KEY = Symbol('DATA_INDEX_KEY');

/**
 * Encryption at rest, the owner's side (the router). Every customer has a data key (AES-256),
 * stored only wrapped by the KMS's key-encryption key; personal fields are sealed with it and
 * addresses are found through a keyed blind index. Erasing a customer destroys the wrapped key:
 * every copy of their data, backups included, becomes unreadable (crypto-shredding).
 *
 * Without a KMS (no DATA_KEKS configured) it is off: fields are stored as given and addresses are
 * their own index. Reading (DataOpener) always accepts both, so data written before it was
 * switched on stays readable.
 */
@Injectable()
export class DataProtection extends DataOpener {
  constructor(
    h: DbHandle,
    // Explicit tokens: a union type leaves no class in the decorator metadata.
    @Optional() @Inject(KmsPort) kms?: KmsPort | null,
    @Optional() @Inject(DATA_INDEX_KEY) private readonly indexKey?: Buffer | null,
  ) {
    super(h, kms);
    if (kms && !indexKey) throw new Error('DATA_INDEX_KEY is required with DATA_KEKS');
    new Logger('data-protection').log({
      msg: kms
        ? 'encryption at rest on'
        : 'encryption at rest OFF: set DATA_KEKS and DATA_INDEX_KEY to seal personal data',
      ...(kms ? { kek: kms.currentKekId } : {}),
    });
  }

  /** The lookup value for an address (`channel` + `address`), never the address itself when on. */
  index(channel: string, address: string): string {
    return this.indexKey && this.kms ? blindIndex(this.indexKey, channel, address) : address;
  }

  /** Seals `value` for `owner`; creates the owner's data key on first use (inside `db` if given). */
  async seal(owner: KeyOwner, field: string, value: string, db?: Db): Promise<string> {
    if (!this.kms) return value;
    const key = await this.keyFor(owner, { create: true, db });
    if (!key) throw new ErasedOwnerError(owner);
    return sealField(key, value, `${field}:${owner}`);
  }

  async sealNullable(owner: KeyOwner, field: string, value: string | null, db?: Db) {
    return value === null ? null : this.seal(owner, field, value, db);
  }

  /** Seals bytes (attachment content); null when encryption at rest is off (store as given). */
  async sealBytes(owner: KeyOwner, field: string, value: Buffer): Promise<Buffer | null> {
    if (!this.kms) return null;
    const key = await this.keyFor(owner, { create: true });
    if (!key) throw new ErasedOwnerError(owner);
    return gcmSeal(key, value, `${field}:${owner}`);
  }

  /**
   * A new owner's key (a customer row made in transaction `db`): made at once, without first
   * looking for one that cannot exist yet. Kept for the transaction; `committed(db)` keeps it on.
   */
  async createOwnerKey(owner: KeyOwner, db: Db): Promise<void> {
    if (!this.kms) return;
    await this.unwrapRow(owner, await this.createKey(owner, db), db);
  }

  /** Crypto-shredding: the wrapped key is destroyed; returns false when there was none. */
  async destroyKey(owner: KeyOwner): Promise<boolean> {
    const rows = await this.h.db
      .update(dataKeys)
      .set({ wrapped: null, kekId: null, destroyedAt: new Date() })
      .where(and(eq(dataKeys.owner, owner), isNull(dataKeys.destroyedAt)))
      .returning({ owner: dataKeys.owner });
    this.forget(owner);
    return rows.length > 0;
  }

  /** After a KEK rotation: rewraps every data key with the current KEK. Data is not touched. */
  async rewrapAll(): Promise<number> {
    if (!this.kms) return 0;
    const rows = await this.h.db.select().from(dataKeys).where(isNull(dataKeys.destroyedAt));
    let n = 0;
    for (const row of rows) {
      if (!row.wrapped || !row.kekId || row.kekId === this.kms.currentKekId) continue;
      const key = await this.kms.unwrap({ kekId: row.kekId, blob: row.wrapped }, row.owner);
      const w = await this.kms.wrap(key, row.owner);
      await this.h.db
        .update(dataKeys)
        .set({ wrapped: w.blob, kekId: w.kekId })
        .where(eq(dataKeys.owner, row.owner));
      n++;
    }
    return n;
  }

  /**
   * How many live data keys each KEK wraps. A KEK that wraps none can be removed from DATA_KEKS
   * (every app that holds them): from then on a restored backup of data_keys, erased customers'
   * rows included, is wrapped by a KEK nobody holds.
   */
  async keysByKek(): Promise<Record<string, number>> {
    const rows = await this.h.db
      .select({ kekId: dataKeys.kekId, n: count() })
      .from(dataKeys)
      .where(and(isNull(dataKeys.destroyedAt), isNotNull(dataKeys.kekId)))
      .groupBy(dataKeys.kekId);
    return Object.fromEntries(rows.map((r) => [r.kekId!, r.n]));
  }

  /** The owner's first key: wrapped by the current KEK; a concurrent creator's wins. */
  protected override async createKey(owner: KeyOwner, db: Db) {
    const w = await this.kms!.wrap(randomBytes(32), owner);
    const [made] = await db
      .insert(dataKeys)
      .values({ owner, kekId: w.kekId, wrapped: w.blob })
      .onConflictDoNothing()
      .returning();
    // Nothing returned: another instance made it first, and its key is the one.
    return made ?? this.keyRow(owner, db);
  }
}

export class ErasedOwnerError extends Error {
  readonly code = 'STORE.ERASED';
  constructor(owner: string) {
    super(`the data key of ${owner.split(':')[0]} was destroyed (erased)`);
  }
}
