import { Injectable } from '@nestjs/common';

/** What changed about some customers' identities, told once the change is committed. */
export interface IdentityChange {
  customerIds: readonly string[];
  /** Their data keys were destroyed (an erasure): a cached key must go too. */
  keysDestroyed?: boolean;
}

export type IdentityChangeListener = (change: IdentityChange) => Promise<void>;

/**
 * Who an address belongs to, and what is known of its customer, changes only through the store's
 * writes (a link, a revoke, an assurance change, an erasure, a retention purge). Each of them
 * tells this feed after its commit, so that whoever caches identities (the router, on every
 * instance) can forget them. Without a listener it is a no-op.
 */
@Injectable()
export class IdentityChangeFeed {
  private readonly listeners: IdentityChangeListener[] = [];

  listen(listener: IdentityChangeListener): void {
    this.listeners.push(listener);
  }

  /** Resolves once every listener has passed the change on (the router: to every instance). */
  async changed(change: IdentityChange): Promise<void> {
    const customerIds = [...new Set(change.customerIds)];
    if (customerIds.length === 0) return;
    await Promise.all(this.listeners.map((l) => l({ ...change, customerIds })));
  }
}
