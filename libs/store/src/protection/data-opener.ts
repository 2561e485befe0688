import { Inject, Injectable, Optional } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { KmsPort, gcmOpen, isSealed, openField } from '@omnigate/crypto';
import { counter } from '@omnigate/kit';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import { dataKeys } from '../schema';

/** What an erased customer's fields read as: the key that opened them is gone. */
export const ERASED = '[erased]';

const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

const dataKeysUnwrapped = counter(
  'omnigate_data_keys_unwrapped_total',
  'Data keys unwrapped through the KMS (cache misses)',
);

/**
 * Owner of a data key: a customer, or one email attachment. `mail:<Message-ID>` keys sealed the
 * original text of a mail before migration 0005; attachments stored then still name theirs.
 */
export type KeyOwner = `customer:${string}` | `attachment:${string}` | `mail:${string}`;
export const customerOwner = (customerId: string): KeyOwner => `customer:${customerId}`;

type DataKeyRow = typeof dataKeys.$inferSelect;

/**
 * The reading half of encryption at rest: opens what DataProtection sealed, with the customer's
 * data key unwrapped by the KMS. It never creates, rewraps or destroys a key, and needs no
 * blind-index key: what an app that only shows data gets (the console). A value without the
 * sealed prefix (written with encryption off) passes through.
 */
@Injectable()
export class DataOpener {
  private readonly cache = new Map<string, { key: Buffer | null; at: number }>();
  /**
   * Keys read or made inside a transaction, good for that transaction only (it may roll back);
   * `committed` hands them to the cache. Keyed by the transaction's handle, which dies with it.
   */
  private readonly txKeys = new WeakMap<Db, Map<string, Buffer | null>>();

  constructor(
    protected readonly h: DbHandle,
    // null or absent: encryption at rest off (store-providers.ts provides null without DATA_KEKS).
    @Optional() @Inject(KmsPort) protected readonly kms?: KmsPort | null,
  ) {}

  get enabled(): boolean {
    return Boolean(this.kms);
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

  /** Opens sealed bytes; null when the owner was erased. */
  async openBytes(owner: KeyOwner, field: string, sealed: Buffer): Promise<Buffer | null> {
    if (!this.kms) throw new Error('sealed bytes were found but DATA_KEKS is not configured');
    const key = await this.keyFor(owner, { create: false });
    return key ? gcmOpen(key, sealed, `${field}:${owner}`) : null;
  }

  /** Forgets one cached key (after an erasure this instance asked for). */
  forget(owner: KeyOwner): void {
    this.cache.delete(owner);
  }

  /** Forgets cached keys (tests; after an erasure done by another instance). */
  clearCache(): void {
    this.cache.clear();
  }

  /** The transaction `db` committed: the keys it read or made are good outside it too. */
  committed(db: Db): void {
    const keys = this.txKeys.get(db);
    if (!keys) return;
    this.txKeys.delete(db);
    for (const [owner, key] of keys) this.remember(owner, key);
  }

  /** The owner's key, unwrapped: null when it was destroyed (or, unless `create`, never made). */
  protected async keyFor(
    owner: KeyOwner,
    opts: { create: boolean; db?: Db },
  ): Promise<Buffer | null> {
    const hit = this.cache.get(owner);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS && (hit.key || !opts.create)) return hit.key;
    const inTx = opts.db ? this.txKeys.get(opts.db)?.get(owner) : undefined;
    if (inTx !== undefined && (inTx || !opts.create)) return inTx;
    const db = opts.db ?? this.h.db;
    let row = await this.keyRow(owner, db);
    if (!row && opts.create) row = await this.createKey(owner, db);
    return this.unwrapRow(owner, row, opts.db);
  }

  /**
   * Unwraps a key row and keeps the key: in the cache when read outside a transaction, else for
   * the length of that transaction (a key read inside one may roll back with it).
   */
  protected async unwrapRow(
    owner: KeyOwner,
    row: DataKeyRow | undefined,
    tx: Db | undefined,
  ): Promise<Buffer | null> {
    if (!row) return null;
    const key =
      row.wrapped && row.kekId
        ? await this.kms!.unwrap({ kekId: row.kekId, blob: row.wrapped }, owner)
        : null;
    if (key) dataKeysUnwrapped.inc();
    if (!tx) this.remember(owner, key);
    else {
      const keys = this.txKeys.get(tx) ?? new Map<string, Buffer | null>();
      this.txKeys.set(tx, keys.set(owner, key));
    }
    return key;
  }

  /** A reader never makes a key: sealing is DataProtection's. */
  protected createKey(_owner: KeyOwner, _db: Db): Promise<DataKeyRow | undefined> {
    return Promise.resolve(undefined);
  }

  protected async keyRow(owner: KeyOwner, db: Db): Promise<DataKeyRow | undefined> {
    return (await db.select().from(dataKeys).where(eq(dataKeys.owner, owner)).limit(1))[0];
  }

  private remember(owner: string, key: Buffer | null): void {
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(owner, { key, at: Date.now() });
  }
}
