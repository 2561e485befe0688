import { Logger } from '@nestjs/common';
import { counter, gauge } from '@omnigate/kit';
import { CoreBankingPort } from './core-banking.port';
import type { CardActor, CoreCard, CoreCustomer, CoreTransaction } from './core-banking.port';
import { CoreBankingCircuitOpenError, CoreBankingUnavailableError } from './core-banking.errors';

export interface CircuitBreakerOptions {
  /** Consecutive unavailability failures that open the circuit. */
  failures: number;
  /** How long it stays open before one trial call is let through (half-open). */
  cooldownMs: number;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };
const stateGauge = gauge(
  'omnigate_router_core_banking_circuit_state',
  'Core-banking circuit breaker: 0 closed, 1 half-open, 2 open',
);
const transitions = counter(
  'omnigate_router_core_banking_circuit_transitions_total',
  'Core-banking circuit breaker state changes',
  ['to'],
);
const fastFailures = counter(
  'omnigate_router_core_banking_circuit_rejected_total',
  'Core-banking calls failed fast while the circuit was open',
);

/**
 * A circuit breaker around any core-banking adapter: after `failures` consecutive
 * CoreBankingUnavailableErrors it opens, and every call fails at once with
 * CoreBankingCircuitOpenError (CORE_BANKING.CIRCUIT_OPEN) instead of waiting for a timeout, so a
 * message still flows ("context unavailable") at full speed. After `cooldownMs` one trial call
 * goes through (half-open; others still fail fast): success closes it, failure reopens it. Any
 * answer from the bank, a 404 included, counts as success.
 */
export class CircuitBreakerCoreBankingClient extends CoreBankingPort {
  private readonly logger = new Logger('core-banking-breaker');
  private readonly now: () => number;
  private circuit: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly inner: CoreBankingPort,
    private readonly options: CircuitBreakerOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    stateGauge.set(STATE_VALUE.closed);
  }

  /** The state as the next call would see it (open turns half-open once the cooldown passed). */
  state(): CircuitState {
    if (this.circuit === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) {
      return 'half_open';
    }
    return this.circuit;
  }

  findCustomerByPhone(e164: string): Promise<CoreCustomer | null> {
    return this.call(() => this.inner.findCustomerByPhone(e164));
  }

  findCustomerByAppUser(appUserId: string): Promise<CoreCustomer | null> {
    return this.call(() => this.inner.findCustomerByAppUser(appUserId));
  }

  findCustomerByEmail(email: string): Promise<CoreCustomer | null> {
    return this.call(() => this.inner.findCustomerByEmail(email));
  }

  getCustomer(customerId: string): Promise<CoreCustomer | null> {
    return this.call(() => this.inner.getCustomer(customerId));
  }

  getCards(customerId: string): Promise<CoreCard[]> {
    return this.call(() => this.inner.getCards(customerId));
  }

  getTransactions(customerId: string, limit: number): Promise<CoreTransaction[]> {
    return this.call(() => this.inner.getTransactions(customerId, limit));
  }

  blockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    return this.call(() => this.inner.blockCard(customerRef, cardId, by));
  }

  unblockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    return this.call(() => this.inner.unblockCard(customerRef, cardId, by));
  }

  override invalidate(customerRef: string): void {
    this.inner.invalidate(customerRef);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const trial = this.admit();
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (e) {
      if (e instanceof CoreBankingUnavailableError) this.failed();
      else this.succeeded();
      throw e;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  /** Throws when the call may not go; true when it is the half-open trial. */
  private admit(): boolean {
    const state = this.state();
    if (state === 'closed') return false;
    if (state === 'half_open' && !this.trialInFlight) {
      if (this.circuit !== 'half_open') this.moveTo('half_open');
      this.trialInFlight = true;
      return true;
    }
    fastFailures.inc();
    const retryIn = state === 'open' ? this.options.cooldownMs - (this.now() - this.openedAt) : 0;
    throw new CoreBankingCircuitOpenError(retryIn);
  }

  private succeeded(): void {
    this.consecutiveFailures = 0;
    if (this.circuit !== 'closed') this.moveTo('closed');
  }

  private failed(): void {
    this.consecutiveFailures++;
    if (this.circuit === 'half_open' || this.consecutiveFailures >= this.options.failures) {
      this.openedAt = this.now();
      if (this.circuit !== 'open') this.moveTo('open');
    }
  }

  private moveTo(state: CircuitState): void {
    this.circuit = state;
    stateGauge.set(STATE_VALUE[state]);
    transitions.inc({ to: state });
    const log = { msg: 'core-banking circuit changed', state, failures: this.consecutiveFailures };
    if (state === 'open') this.logger.warn(log);
    else this.logger.log(log);
  }
}
