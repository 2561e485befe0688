import { Inject, Injectable, Logger } from '@nestjs/common';
import { assuranceAtLeast } from '@omnigate/contracts';
import type {
  AssuranceLevel,
  AssuranceState,
  Channel,
  InboundMessageV1,
} from '@omnigate/contracts';
import { IdentitiesRepository } from '@omnigate/store';
import type { CustomerRow } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { SessionService } from './session.service';
import {
  assuranceFromInbound,
  effectiveAssurance,
  linkAssurance,
  mergeAssurance,
  noAssurance,
  statesOn,
} from './assurance.mapper';

/**
 * How strongly the customer is authenticated right now: the session keeps each level reached with
 * its expiry (NATS KV, shared by router instances); below that, the customer's proven links count
 * as possession. An app session counts on every channel; a strong login only in the app (issue
 * 13: it is no licence for whoever writes on another channel). No level authorises a fraud
 * unblock: that takes an approval of that very unblock (StepUpService) or a supervisor.
 */
@Injectable()
export class AssuranceService {
  private readonly logger = new Logger('assurance');

  constructor(
    private readonly sessions: SessionService,
    private readonly identities: IdentitiesRepository,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /**
   * The effective state now on channel `on`: the session's unexpired best that counts there (a
   * strong level only on the channel that proved it; none without `on`), else the links'
   * possession, else none.
   */
  async current(customerId: string, now = Date.now(), on?: Channel): Promise<AssuranceState> {
    const [states, identities] = await Promise.all([
      this.sessions.assuranceStates(customerId),
      this.identities.listForCustomer(customerId),
    ]);
    const links = linkAssurance(identities, now, this.config.ROUTER_SESSION_TTL_MS);
    return effectiveAssurance([...statesOn(states, on), links], now) ?? noAssurance(now);
  }

  async satisfies(customerId: string, need: AssuranceLevel, on?: Channel): Promise<boolean> {
    return assuranceAtLeast((await this.current(customerId, Date.now(), on)).level, need);
  }

  /** Records a level reached; the session keeps the highest per level until each expires. */
  async raise(customerId: string, state: AssuranceState, now = Date.now()): Promise<void> {
    await this.raiseAll(customerId, [state], now);
  }

  private async raiseAll(customerId: string, reached: AssuranceState[], now = Date.now()) {
    let states = await this.sessions.assuranceStates(customerId);
    for (const s of reached) states = mergeAssurance(states, s, now);
    const lastExpiry = Math.max(0, ...states.map((s) => Date.parse(s.expiresAt)));
    await this.sessions.putAssuranceStates(customerId, states, lastExpiry - now);
  }

  /** Forgets every level the session reached (a SIM swap: nothing proven by that phone counts). */
  async drop(customerId: string): Promise<void> {
    await this.sessions.putAssuranceStates(customerId, [], 0);
  }

  /**
   * The inbound path: an app message carries the login's level (app session, strong). Only a
   * verified customer's session is raised. Never fails the message: assurance is a cache.
   */
  async onInbound(msg: InboundMessageV1, customer: CustomerRow): Promise<void> {
    if (customer.kind !== 'customer') return;
    const states = assuranceFromInbound(msg, Date.now(), {
      strongMs: this.config.ASSURANCE_STRONG_TTL_MS,
      appSessionMs: this.config.ASSURANCE_APP_SESSION_TTL_MS,
    });
    if (states.length === 0) return;
    try {
      await this.raiseAll(customer.id, states);
    } catch (e) {
      this.logger.warn({
        msg: 'assurance not raised',
        code: (e as { code?: string }).code ?? 'KV.FAILED',
      });
    }
  }
}
