import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { MessagesRepository } from '../repositories/messages.repository';
import { channelIdentities, conversations, customers } from '../schema';
import { ERASED } from './data-opener';
import { DataProtection } from './data-protection';
import { openCustomer, openIdentity } from './row-cipher';

/** One channel address of the customer, opened (`channel` as the subjects name it). */
export interface PartyAddress {
  channel: string;
  address: string;
}

/**
 * What identifies a customer's traffic on the bus, read (opened) before her key is destroyed: the
 * erasure sweeps the streams for messages that carry any of it. Held in memory only, for the
 * length of one erasure; never stored, never logged.
 */
export interface ErasureTargets {
  customerId: string;
  /** Every address she wrote from or was written to, revoked links included. */
  addresses: PartyAddress[];
  /** Her name as we held it (the console's display name). */
  names: string[];
  conversationIds: string[];
  messageIds: string[];
  /** Card references her messages carried (`ref_…`): what the vault and CARDS know her cards by. */
  cardRefs: string[];
}

const CARD_REF = /ref_[a-p]{20}/g;

/** Reads what the bus may hold of one customer, opened, while her data key still exists. */
@Injectable()
export class ErasureTargetsRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
    private readonly messages: MessagesRepository,
  ) {}

  async collect(customerId: string): Promise<ErasureTargets> {
    const [identityRows, conversationRows, customerRows, msgs] = await Promise.all([
      this.h.db
        .select()
        .from(channelIdentities)
        .where(eq(channelIdentities.customerId, customerId)),
      this.h.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.customerId, customerId)),
      this.h.db.select().from(customers).where(eq(customers.id, customerId)),
      this.messages.listForCustomer(customerId),
    ]);
    const identities = await Promise.all(identityRows.map((i) => openIdentity(this.dp, i)));
    const customer = customerRows[0] ? await openCustomer(this.dp, customerRows[0]) : null;
    const addresses = new Map<string, PartyAddress>();
    const add = (channel: string, address: string) => {
      if (address && address !== ERASED) {
        addresses.set(`${channel}\n${address}`, { channel, address });
      }
    };
    for (const i of identities) add(i.channel, i.address);
    for (const m of msgs) add(m.channel, m.address);
    const refs = new Set<string>();
    for (const m of msgs) for (const ref of m.body.match(CARD_REF) ?? []) refs.add(ref);
    const name = customer?.displayName;
    return {
      customerId,
      addresses: [...addresses.values()],
      names: name && name !== ERASED ? [name] : [],
      conversationIds: conversationRows.map((c) => c.id),
      messageIds: msgs.map((m) => m.id),
      cardRefs: [...refs],
    };
  }
}
