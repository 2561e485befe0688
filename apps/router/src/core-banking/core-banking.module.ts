import { Module } from '@nestjs/common';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { CoreBankingPort } from './core-banking.port';
import { HttpCoreBankingClient } from './http-core-banking.client';
import { CachedCoreBankingClient } from './cached-core-banking.client';
import { CircuitBreakerCoreBankingClient } from './circuit-breaker.core-banking.client';

/** Core banking as the router uses it: cache(breaker(http)). */
function coreBankingFrom(config: RouterConfig): CoreBankingPort {
  const http = new HttpCoreBankingClient({
    baseUrl: config.CORE_BANKING_URL,
    apiKey: config.CORE_BANKING_API_KEY,
    timeoutMs: config.CORE_BANKING_TIMEOUT_MS,
  });
  const breaker = new CircuitBreakerCoreBankingClient(http, {
    failures: config.CORE_BANKING_BREAKER_FAILURES,
    cooldownMs: config.CORE_BANKING_BREAKER_COOLDOWN_MS,
  });
  return new CachedCoreBankingClient(breaker, config.CONTEXT_CACHE_TTL_MS);
}

/** The bank's core system (cards, transactions, customers) behind one port, one instance. */
@Module({
  providers: [{ provide: CoreBankingPort, inject: [ROUTER_CONFIG], useFactory: coreBankingFrom }],
  exports: [CoreBankingPort],
})
export class CoreBankingModule {}
