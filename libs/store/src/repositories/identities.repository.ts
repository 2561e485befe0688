import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { channelIdentities, customers } from '../schema';
import { isUniqueViolation } from '../db-errors';
import type { Db } from '../database';
import { DataProtection, customerOwner } from '../protection/data-protection';
import { openCustomer, openIdentity } from '../protection/row-cipher';
import type { CustomerRow } from './conversations.repository';
import { IdentityChangeFeed } from './identity-change-feed';

export type ChannelIdentityRow = typeof channelIdentities.$inferSelect;

export interface ResolvedIdentity {
  identity: ChannelIdentityRow;
  customer: CustomerRow;
}

/**
 * Where an address is looked up. `proven`: the channel vouches for the address (a phone number,
 * a platform id, an email whose From DMARC proved). `unauthenticated`: anybody could have written
 * that address (an email without an aligned DMARC pass). The two never share a row, so a forged
 * From neither reaches the proven address's customer nor squats the address before its owner.
 */
export type AddressScope = 'proven' | 'unauthenticated';

export interface NewLink {
  channel: string;
  address: string;
  /** The core-banking customer id the proof points at. */
  coreRef: string;
  displayName: string | null;
  linkMethod: string;
  assurance: string;
}

/**
 * Channel address → customer. A link is created only from proof (the bank's verified phone, the
 * app's JWT...); an address without proof becomes an unverified contact, never merged on a claim.
 */
@Injectable()
export class IdentitiesRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
    // Told after every committed change of a link (the router's identity caches listen).
    @Optional() private readonly feed: IdentityChangeFeed = new IdentityChangeFeed(),
  ) {}

  /** The key an address is found by (its blind index in its scope): what a cache keys it by. */
  addressKey(channel: string, address: string, scope: AddressScope = 'proven'): string {
    return this.indexOf(channel, address, scope);
  }

  /** Hot path: the address is matched through its blind index, a keyed hash (no decryption). */
  async findActive(
    channel: string,
    address: string,
    scope: AddressScope = 'proven',
  ): Promise<ResolvedIdentity | null> {
    const rows = await this.h.db
      .select({ identity: channelIdentities, customer: customers })
      .from(channelIdentities)
      .innerJoin(customers, eq(customers.id, channelIdentities.customerId))
      .where(
        and(
          eq(channelIdentities.channel, channel),
          eq(channelIdentities.addressIndex, this.indexOf(channel, address, scope)),
          ne(channelIdentities.status, 'revoked'),
        ),
      )
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  async listForCustomer(customerId: string): Promise<ChannelIdentityRow[]> {
    const rows = await this.h.db
      .select()
      .from(channelIdentities)
      .where(
        and(eq(channelIdentities.customerId, customerId), ne(channelIdentities.status, 'revoked')),
      );
    return Promise.all(rows.map((i) => openIdentity(this.dp, i)));
  }

  /** One identity with its customer, revoked or not (an agent's unlink names it by id). */
  async get(identityId: string): Promise<ResolvedIdentity | null> {
    const rows = await this.h.db
      .select({ identity: channelIdentities, customer: customers })
      .from(channelIdentities)
      .innerJoin(customers, eq(customers.id, channelIdentities.customerId))
      .where(eq(channelIdentities.id, identityId))
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  /** Revokes a link or contact: the address's next message finds nothing. False if already revoked. */
  async revoke(identityId: string): Promise<boolean> {
    const rows = await this.h.db
      .update(channelIdentities)
      .set({ status: 'revoked', revokedAt: new Date() })
      .where(and(eq(channelIdentities.id, identityId), ne(channelIdentities.status, 'revoked')))
      .returning({ customerId: channelIdentities.customerId });
    await this.feed.changed({ customerIds: rows.map((r) => r.customerId) });
    return rows.length === 1;
  }

  /** Lowers (or sets) the link assurance of these identities (a SIM swap distrusts the phone). */
  async setAssurance(identityIds: string[], assurance: string): Promise<void> {
    if (identityIds.length === 0) return;
    const rows = await this.h.db
      .update(channelIdentities)
      .set({ assurance })
      .where(inArray(channelIdentities.id, identityIds))
      .returning({ customerId: channelIdentities.customerId });
    await this.feed.changed({ customerIds: rows.map((r) => r.customerId) });
  }

  /** Links an address to the bank customer `coreRef` (creating our customer row once). Idempotent. */
  async link(input: NewLink): Promise<ResolvedIdentity> {
    const linked = await this.retryOnRace(input.channel, input.address, 'proven', async () =>
      this.inTransaction((db) => this.linkIn(db, input)),
    );
    await this.feed.changed({ customerIds: [linked.customer.id] });
    return linked;
  }

  /**
   * An unverified contact's address that now carries proof (a Telegram user sharing their own
   * contact): the contact's identity is revoked and the address linked to the proven customer, in
   * one transaction. The contact's earlier messages stay with the contact (never merged).
   */
  async upgradeContact(identityId: string, input: NewLink): Promise<ResolvedIdentity> {
    const { contactId, linked } = await this.inTransaction(async (tx) => {
      const contact = await tx
        .update(channelIdentities)
        .set({ status: 'revoked', revokedAt: new Date() })
        .where(
          and(eq(channelIdentities.id, identityId), eq(channelIdentities.status, 'unverified')),
        )
        .returning({ customerId: channelIdentities.customerId });
      return { contactId: contact[0]?.customerId, linked: await this.linkIn(tx, input) };
    });
    await this.feed.changed({
      customerIds: contactId ? [contactId, linked.customer.id] : [linked.customer.id],
    });
    return linked;
  }

  /** Inside a transaction: the customer row for `coreRef` (made once) and the address's link. */
  private async linkIn(db: Db, input: NewLink): Promise<ResolvedIdentity> {
    const existing = await db
      .select()
      .from(customers)
      .where(eq(customers.coreRef, input.coreRef))
      .limit(1);
    const customer =
      existing[0] ?? (await this.insertCustomer(db, 'customer', input.coreRef, input.displayName));
    const identity = await this.insertIdentity(db, {
      channel: input.channel,
      address: input.address,
      customerId: customer.id,
      status: 'linked',
      linkMethod: input.linkMethod,
      assurance: input.assurance,
    });
    return this.open({ identity, customer }, db);
  }

  /**
   * An address nobody has proven: its own contact, so nothing of a customer's leaks to it. An
   * `unauthenticated` one is marked so (link method `unauthenticated`) for the agent.
   */
  async createContact(
    channel: string,
    address: string,
    displayName: string | null,
    scope: AddressScope = 'proven',
  ): Promise<ResolvedIdentity> {
    return this.retryOnRace(channel, address, scope, async () =>
      this.inTransaction(async (db) => {
        const customer = await this.insertCustomer(db, 'contact', null, displayName);
        const identity = await this.insertIdentity(
          db,
          {
            channel,
            address,
            customerId: customer.id,
            status: 'unverified',
            linkMethod: scope === 'unauthenticated' ? 'unauthenticated' : 'none',
            assurance: 'none',
          },
          scope,
        );
        return this.open({ identity, customer }, db);
      }),
    );
  }

  /** A new customer row: its id first, so its data key seals its name. */
  private async insertCustomer(
    db: Db,
    kind: 'customer' | 'contact',
    coreRef: string | null,
    displayName: string | null,
  ) {
    const id = randomUUID();
    await this.dp.createOwnerKey(customerOwner(id), db);
    const [row] = await db
      .insert(customers)
      .values({
        id,
        kind,
        coreRef,
        displayName: await this.dp.sealNullable(
          customerOwner(id),
          'customers.display_name',
          displayName,
          db,
        ),
      })
      .returning();
    return row!;
  }

  private async insertIdentity(
    db: Db,
    i: Omit<typeof channelIdentities.$inferInsert, 'addressIndex'>,
    scope: AddressScope = 'proven',
  ): Promise<ChannelIdentityRow> {
    const [row] = await db
      .insert(channelIdentities)
      .values({
        ...i,
        address: await this.dp.seal(
          customerOwner(i.customerId),
          'channel_identities.address',
          i.address,
          db,
        ),
        addressIndex: this.indexOf(i.channel, i.address, scope),
      })
      .returning();
    return row!;
  }

  /**
   * The blind index of an address in its scope. The unauthenticated scope prefixes a word and a
   * space: no address the gateways accept holds whitespace, so no real address lands there.
   */
  private indexOf(channel: string, address: string, scope: AddressScope): string {
    return this.dp.index(channel, scope === 'proven' ? address : `unauthenticated ${address}`);
  }

  private async open(r: ResolvedIdentity, db?: Db): Promise<ResolvedIdentity> {
    return {
      identity: await openIdentity(this.dp, r.identity, db),
      customer: await openCustomer(this.dp, r.customer, db),
    };
  }

  /** One transaction; the data keys it made or read are cached once it committed. */
  private async inTransaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    let used: Db | undefined;
    const result = await this.h.db.transaction((tx) => {
      used = tx;
      return work(used);
    });
    if (used) this.dp.committed(used);
    return result;
  }

  /** Two router instances resolving the same new address: the loser reads the winner's row. */
  private async retryOnRace(
    channel: string,
    address: string,
    scope: AddressScope,
    create: () => Promise<ResolvedIdentity>,
  ): Promise<ResolvedIdentity> {
    try {
      return await create();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await this.findActive(channel, address, scope);
      if (winner) return winner;
      return create();
    }
  }
}
