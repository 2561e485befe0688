import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusSubscriber, NatsConnection } from '@omnigate/bus';
import { Subjects } from '@omnigate/contracts';
import { counter, withinGrace } from '@omnigate/kit';
import {
  DataProtection,
  IdentitiesRepository,
  IdentityChangeFeed,
  customerOwner,
} from '@omnigate/store';
import type {
  AddressScope,
  ChannelIdentityRow,
  IdentityChange,
  ResolvedIdentity,
} from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { IdentityChangedV1Schema } from './identity-changed.v1';
import type { IdentityChangedV1 } from './identity-changed.v1';

const lookups = counter('omnigate_router_identity_cache_total', 'Identity cache lookups', [
  'kind',
  'result',
]);

/** Entries per map; the oldest goes first. */
const CACHE_MAX = 20_000;

/** How long a change's announcement may take to reach the server before the TTL is the backstop. */
const ANNOUNCE_GRACE_MS = 2000;

interface Entry<T> {
  value: T;
  customerId: string;
  at: number;
}

/**
 * The router instance's memory of who an address is (findActive) and of a customer's links
 * (listForCustomer): the first statement of every inbound message, otherwise. Keyed by channel
 * and blind index (never the address). Only found identities are kept, never a miss.
 *
 * Every committed change of a link (IdentityChangeFeed: link, revoke, assurance, erasure,
 * purge) is announced on core NATS to every instance, this one included, and flushed to the
 * server before the change's caller goes on: a message that follows a revoke reaches any
 * instance after the revoke's announcement did (one server delivers to a connection in order).
 * A read that was under way when an announcement arrived is not kept (generation count), so a
 * row read before the commit never outlives it. While NATS is down nothing is kept, and a
 * reconnect forgets everything (announcements may have been missed). The TTL is the backstop.
 */
@Injectable()
export class IdentityCache implements OnApplicationBootstrap {
  private readonly logger = new Logger('identity-cache');
  private readonly byAddress = new Map<string, Entry<ResolvedIdentity>>();
  private readonly byCustomer = new Map<string, Entry<ChannelIdentityRow[]>>();
  /** Bumped by every forget: a read that started before it is not kept. */
  private generation = 0;
  /** Subscribed and connected: only then can a change reach this instance in time. */
  private live = false;

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly dp: DataProtection,
    private readonly conn: NatsConnection,
    private readonly subscriber: BusSubscriber,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ROUTER_IDENTITY_CACHE_TTL_MS === 0) return;
    this.feed.listen((change) => this.announce(change));
    this.subscriber.subscribe(Subjects.identityChanged, IdentityChangedV1Schema, (change) =>
      this.forget(change),
    );
    void this.watch();
    this.live = true;
  }

  async findActive(
    channel: string,
    address: string,
    scope: AddressScope = 'proven',
  ): Promise<ResolvedIdentity | null> {
    const key = `${channel}|${this.identities.addressKey(channel, address, scope)}`;
    return this.cached(this.byAddress, key, 'address', async () => {
      const found = await this.identities.findActive(channel, address, scope);
      return found ? { value: found, customerId: found.customer.id } : null;
    });
  }

  /**
   * Makes the address's identity (a new contact) and keeps it: its next message is not read
   * again. Not kept when any change was announced meanwhile (a link announces itself).
   */
  async created(
    channel: string,
    address: string,
    scope: AddressScope,
    create: () => Promise<ResolvedIdentity>,
  ): Promise<ResolvedIdentity> {
    const generation = this.generation;
    const made = await create();
    if (this.live && generation === this.generation) {
      const key = `${channel}|${this.identities.addressKey(channel, address, scope)}`;
      this.keep(this.byAddress, key, { value: made, customerId: made.customer.id });
    }
    return made;
  }

  async listForCustomer(customerId: string): Promise<ChannelIdentityRow[]> {
    const rows = await this.cached(this.byCustomer, customerId, 'customer', async () => ({
      value: await this.identities.listForCustomer(customerId),
      customerId,
    }));
    return rows ?? [];
  }

  private async cached<T>(
    map: Map<string, Entry<T>>,
    key: string,
    kind: string,
    read: () => Promise<{ value: T; customerId: string } | null>,
  ): Promise<T | null> {
    const hit = map.get(key);
    const ttl = this.config.ROUTER_IDENTITY_CACHE_TTL_MS;
    if (hit && this.live && Date.now() - hit.at < ttl) {
      lookups.inc({ kind, result: 'hit' });
      return hit.value;
    }
    lookups.inc({ kind, result: 'miss' });
    const generation = this.generation;
    const found = await read();
    if (found && this.live && generation === this.generation) this.keep(map, key, found);
    return found?.value ?? null;
  }

  private keep<T>(
    map: Map<string, Entry<T>>,
    key: string,
    found: { value: T; customerId: string },
  ): void {
    if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
    map.set(key, { ...found, at: Date.now() });
  }

  /** Forgets here at once, then tells every instance and waits until the server has it. */
  private async announce(change: IdentityChange): Promise<void> {
    this.forget(change);
    const payload: IdentityChangedV1 = {
      customerIds: [...change.customerIds],
      ...(change.keysDestroyed ? { keysDestroyed: true } : {}),
    };
    try {
      const nc = this.conn.connection();
      nc.publish(Subjects.identityChanged, Buffer.from(JSON.stringify(payload)));
      const flushed = await withinGrace(nc.flush(), ANNOUNCE_GRACE_MS);
      if (!flushed) throw new Error('flush timed out');
    } catch (e) {
      // The change is committed; other instances believe the old link until their TTL.
      this.logger.warn({
        msg: 'identity change not announced: other instances rely on the TTL',
        code: (e as { code?: string }).code ?? 'BUS.UNAVAILABLE',
        ttlMs: this.config.ROUTER_IDENTITY_CACHE_TTL_MS,
      });
    }
  }

  private forget(change: Pick<IdentityChange, 'customerIds' | 'keysDestroyed'>): void {
    this.generation++;
    const ids = new Set(change.customerIds);
    for (const [key, entry] of this.byAddress) {
      if (ids.has(entry.customerId)) this.byAddress.delete(key);
    }
    for (const id of ids) {
      this.byCustomer.delete(id);
      if (change.keysDestroyed) this.dp.forget(customerOwner(id));
    }
  }

  private clear(): void {
    this.generation++;
    this.byAddress.clear();
    this.byCustomer.clear();
  }

  /** Disconnected: announcements may be missed, so nothing is believed until reconnected. */
  private async watch(): Promise<void> {
    try {
      for await (const s of this.conn.connection().status()) {
        const type: string = s.type;
        if (type === 'disconnect') {
          this.live = false;
          this.clear();
        } else if (type === 'reconnect') {
          this.clear();
          this.live = true;
        }
      }
    } catch {
      // The connection is gone: nothing more is kept.
    }
    this.live = false;
    this.clear();
  }
}
