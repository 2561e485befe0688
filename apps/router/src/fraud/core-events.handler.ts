import { Controller, Logger } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import { StreamSubjects } from '@omnigate/contracts';
import type { CoreBankingEventV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { FraudAlertsRepository } from '@omnigate/store';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import { IdentityTrustService } from '../identity/identity-trust.service';
import { alertKindOf } from './core-events.mapper';

export const CORE_EVENTS_DURABLE = 'router-core-events';

const handled = counter(
  'omnigate_router_core_events_handled_total',
  'Core-banking events handled by the router',
  ['kind', 'outcome'],
);

/**
 * Signals from core banking (fraud engine blocks, SIM swaps, new devices, unblocks, phone
 * changes). Fraud signals become fraud_alerts, idempotent on the core event id, so a customer
 * message within the correlation window can be linked to one. A signal about a bank customer who
 * never wrote to us creates their (nameless) customer row: their first message, on any channel,
 * then links to that row and finds the alert waiting.
 */
@Controller()
export class CoreEventsHandler {
  private readonly logger = new Logger('core-events');

  constructor(
    private readonly alerts: FraudAlertsRepository,
    private readonly coreBanking: CoreBankingPort,
    private readonly trust: IdentityTrustService,
  ) {}

  // A block and the unblock that follows it are applied in order.
  @OnStream(StreamSubjects.coreEvents, {
    durable: CORE_EVENTS_DURABLE,
    concurrency: 4,
    keyOf: (e) => e.customerRef,
  })
  async handle(e: CoreBankingEventV1): Promise<void> {
    // Whatever the signal, what we cached about the customer may be stale now.
    this.coreBanking.invalidate(e.customerRef);
    const kind = alertKindOf(e.kind);
    if (kind) {
      const customerId = await this.alerts.customerIdForCoreRef(e.customerRef);
      const { alert, created } = await this.alerts.record({
        coreEventId: e.coreEventId,
        customerId,
        kind,
        cardId: e.cardId ?? null,
        transactionId: e.transactionId ?? null,
        occurredAt: new Date(e.occurredAt),
      });
      this.logger.log({ msg: 'fraud alert', kind, alertId: alert.id, created });
    }
    let outcome = 'ok';
    switch (e.kind) {
      case 'sim_swap':
        await this.trust.onSimSwap(e.customerRef);
        break;
      case 'phone_changed':
        await this.trust.onPhoneChanged(e.customerRef);
        break;
      case 'card_unblocked':
        outcome = await this.resolveCard(e);
        break;
      case 'card_blocked_by_fraud':
      case 'new_device':
        break;
    }
    handled.inc({ kind: e.kind, outcome });
  }

  /** A customer we never saw, or no card named: nothing to resolve (counted, acknowledged). */
  private async resolveCard(e: CoreBankingEventV1): Promise<string> {
    const customerId = await this.alerts.findCustomerId(e.customerRef);
    if (!customerId || !e.cardId) return 'nothing_to_resolve';
    const resolved = await this.alerts.resolveForCard(customerId, e.cardId);
    if (resolved.length) this.logger.log({ msg: 'fraud alerts resolved', alertIds: resolved });
    return resolved.length ? 'ok' : 'nothing_to_resolve';
  }
}
