import { Module } from '@nestjs/common';
import { KitModule, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
// Test-only dependency on the sandbox's core-banking stand-in (the router's tests drive the real
// HTTP adapter against it); production code of the router never imports another app.
import { CoreBankingModule } from '../../sandbox/src/core-banking/core-banking.module';
import type { CoreEventRecord } from '../../sandbox/src/core-banking/core-events.service';

export { CORE_BANKING_SEED, SEED_IDS } from '../../sandbox/src/core-banking/core-banking.seed';
export type {
  CoreEventRecord,
  SandboxCoreEvent,
} from '../../sandbox/src/core-banking/core-events.service';

export const CORE_KEY = 'router-test-core-key';
/** The HMAC key of X-Core-Signature shared by the stand-in and the router in tests. */
export const CORE_EVENTS_SECRET = 'router-test-core-events-secret';

export interface TestCoreBanking {
  /** Base URL of the API, e.g. http://127.0.0.1:1234/core/v1 */
  apiUrl: string;
  setDown(down: boolean): Promise<void>;
  setLatency(delayMs: number): Promise<void>;
  reset(): Promise<void>;
  /** POST `_control/<path>` and answer its JSON (fraud-block, sim-swap, …). */
  control<T = unknown>(path: string, body: unknown): Promise<T>;
  /** Where events are POSTed from now on (null: kept only), e.g. `${router.url}/core-banking/events`. */
  setEventsTarget(url: string | null, secret?: string): Promise<void>;
  events(): Promise<CoreEventRecord[]>;
  close(): Promise<void>;
}

@Module({})
class CoreBankingTestApp {}

/** The core-banking stand-in alone, in a tiny Nest app on a random port. */
export async function startCoreBanking(
  opts: { eventsUrl?: string; eventsRetryMs?: number[] } = {},
): Promise<TestCoreBanking> {
  const app: RunningHttpApp = await startHttpApp(
    {
      module: CoreBankingTestApp,
      imports: [
        KitModule,
        CoreBankingModule.forRoot({
          apiKey: CORE_KEY,
          eventsSecret: CORE_EVENTS_SECRET,
          eventsRetryMs: opts.eventsRetryMs ?? [100, 300, 1000],
          ...(opts.eventsUrl ? { eventsUrl: opts.eventsUrl } : {}),
        }),
      ],
    },
    { name: 'core-banking-test', port: 0, logLevel: 'error' },
  );
  const apiUrl = `${app.url}/core/v1`;
  const headers = { authorization: `Bearer ${CORE_KEY}`, 'content-type': 'application/json' };
  const control = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${apiUrl}/_control/${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`core-banking control ${path} failed: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    apiUrl,
    setDown: async (down) => void (await control('down', { down })),
    setLatency: async (delayMs) => void (await control('latency', { delayMs })),
    reset: async () => void (await control('reset', {})),
    control,
    setEventsTarget: async (url, secret) =>
      void (await control('events-target', { url, ...(secret ? { secret } : {}) })),
    events: async () => {
      const res = await fetch(`${apiUrl}/_control/events`, { headers });
      return ((await res.json()) as { events: CoreEventRecord[] }).events;
    },
    close: () => app.close(),
  };
}
