import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { and, eq, isNull } from 'drizzle-orm';
import {
  KmsPort,
  blindIndex,
  gcmOpen,
  gcmSeal,
  isSealed,
  openField,
  sealField,
} from '@omnigate/crypto';
import { counter } from '@omnigate/kit';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import { dataKeys } from '../schema';

export const DATA_INDEX_KEY = Symbol('DATA_INDEX_KEY');

/** What an erased customer's fields read as: the key that opened them is gone. */
export const ERASED = '[erased]';

const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

const dataKeysUnwrapped = counter(
  'omnigate_data_keys_unwrapped_total',
  'Data keys unwrapped through the KMS (cache misses)',
);

/** Owner of a data key: a customer, or the card vault. */
/**
 * Owner of a data key: a customer, the card vault, one email attachment or one email's threading
 * record (the email gateway stores those before anyone knows the customer; erasure destroys the
 * keys of the ones that belong to the customer).
 */
export type KeyOwner = `customer:${string}` | 'vault' | `attachment:${string}` | `mail:${string}`;
export const customerOwner = (customerId: string): KeyOwner => `customer:${customerId}`;

/**
 * Encryption at rest. Every customer has a data key (AES-256), stored only wrapped by the KMS's
 * key-encryption key; personal fields are sealed with it and addresses are found through a keyed
 * blind index. Erasing a customer destroys the wrapped key: every copy of their data, backups
 * included, becomes unreadable (crypto-shredding).
 *
 * Without a KMS (no DATA_KEKS configured) it is off: fields are stored as given and addresses are
 * their own index. Reading always accepts both, so data written before it was switched on stays
 * readable.
 */
@Injectable()
export class DataProtection {
  private readonly cache = new Map<string, { key: Buffer | null; at: number }>();

  constructor(
    private readonly h: DbHandle,
    @Optional() private readonly kms?: KmsPort,
    @Optional() @Inject(DATA_INDEX_KEY) private readonly indexKey?: Buffer,
  ) {
    if (kms && !indexKey) throw new Error('DATA_INDEX_KEY is required with DATA_KEKS');
    new Logger('data-protection').log({
      msg: kms
        ? 'encryption at rest on'
        : 'encryption at rest OFF: set DATA_KEKS and DATA_INDEX_KEY to seal personal data',
      ...(kms ? { kek: kms.currentKekId } : {}),
    });
  }

  get enabled(): boolean {
    return this.kms !== undefined;
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

  /** Opens a sealed value; plaintext passes through; an erased owner's value reads as ERASED. */
  async open(owner: KeyOwner, field: string, value: string, db?: Db): Promise<string> {
    if (!isSealed(value)) return value;
    if (!this.kms) throw new Error('a sealed value was found but DATA_KEKS is not configured');
    const key = await this.keyFor(owner, { create: false, db });
    return key ? openField(key, value, `${field}:${owner}`) : ERASED;
  }

  async openNullable(owner: KeyOwner, field: string, value: string | null, db?: Db) {
    return value === null ? null : this.open(owner, field, value, db);
  }

  /** Seals bytes (attachment content); null when encryption at rest is off (store as given). */
  async sealBytes(owner: KeyOwner, field: string, value: Buffer): Promise<Buffer | null> {
    if (!this.kms) return null;
    const key = await this.keyFor(owner, { create: true });
    if (!key) throw new ErasedOwnerError(owner);
    return gcmSeal(key, value, `${field}:${owner}`);
  }

  /** Opens sealed bytes; null when the owner was erased. */
  async openBytes(owner: KeyOwner, field: string, sealed: Buffer): Promise<Buffer | null> {
    if (!this.kms) throw new Error('sealed bytes were found but DATA_KEKS is not configured');
    const key = await this.keyFor(owner, { create: false });
    return key ? gcmOpen(key, sealed, `${field}:${owner}`) : null;
  }

  /** Crypto-shredding: the wrapped key is destroyed; returns false when there was none. */
  async destroyKey(owner: KeyOwner): Promise<boolean> {
    const rows = await this.h.db
      .update(dataKeys)
      .set({ wrapped: null, kekId: null, destroyedAt: new Date() })
      .where(and(eq(dataKeys.owner, owner), isNull(dataKeys.destroyedAt)))
      .returning({ owner: dataKeys.owner });
    this.cache.delete(owner);
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

  /** Forgets cached keys (tests; after an erasure done by another instance). */
  clearCache(): void {
    this.cache.clear();
  }

  private async keyFor(
    owner: KeyOwner,
    opts: { create: boolean; db?: Db },
  ): Promise<Buffer | null> {
    const hit = this.cache.get(owner);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS && (hit.key || !opts.create)) return hit.key;
    const db = opts.db ?? this.h.db;
    let row = (await db.select().from(dataKeys).where(eq(dataKeys.owner, owner)).limit(1))[0];
    if (!row && opts.create) {
      const w = await this.kms!.wrap(randomBytes(32), owner);
      await db
        .insert(dataKeys)
        .values({ owner, kekId: w.kekId, wrapped: w.blob })
        .onConflictDoNothing();
      row = (await db.select().from(dataKeys).where(eq(dataKeys.owner, owner)).limit(1))[0];
    }
    if (!row) return null;
    const key =
      row.wrapped && row.kekId
        ? await this.kms!.unwrap({ kekId: row.kekId, blob: row.wrapped }, owner)
        : null;
    if (key) dataKeysUnwrapped.inc();
    // A key read inside a transaction may roll back with it: only keys read outside are cached.
    if (!opts.db) this.remember(owner, key);
    return key;
  }

  private remember(owner: string, key: Buffer | null): void {
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(owner, { key, at: Date.now() });
  }
}

export class ErasedOwnerError extends Error {
  readonly code = 'STORE.ERASED';
  constructor(owner: string) {
    super(`the data key of ${owner.split(':')[0]} was destroyed (erased)`);
  }
}
