import { z } from 'zod';
import { counter, histogram } from '@omnigate/kit';
import { CoreBankingPort } from './core-banking.port';
import type { CardActor, CoreCard, CoreCustomer, CoreTransaction } from './core-banking.port';
import { CoreBankingUnavailableError, CoreCardNotFoundError } from './core-banking.errors';

export interface HttpCoreBankingOptions {
  /** e.g. http://127.0.0.1:3100/core/v1 */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

// Tolerant reading: unknown fields are dropped, missing optional ones become null.
const CustomerSchema = z.object({
  id: z.string().min(1),
  fullName: z.string(),
  phone: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  email: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  appUserId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  kycStatus: z.string().default('unknown'),
  missingDocuments: z.array(z.string()).catch([]),
});
const CardSchema = z.object({
  id: z.string().min(1),
  brand: z.string(),
  last4: z.string(),
  status: z.enum(['active', 'blocked']),
  blockReason: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  blockedBy: z
    .enum(['fraud_engine', 'customer', 'bank'])
    .nullish()
    .transform((v) => v ?? null),
  blockedAt: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
});
const TransactionSchema = z.object({
  id: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  amountMinor: z.number().int(),
  currency: z.string().length(3),
  merchant: z.string(),
  status: z.string(),
  cardId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
});
const CardsSchema = z.object({ cards: z.array(CardSchema) });
const TransactionsSchema = z.object({ transactions: z.array(TransactionSchema) });

const calls = counter('omnigate_router_core_banking_calls_total', 'Core-banking HTTP calls', [
  'op',
  'outcome',
]);
const seconds = histogram('omnigate_router_core_banking_seconds', 'Core-banking HTTP latency', [
  'op',
]);

/**
 * The core-banking port over the bank's REST API (docs/core-banking.openapi.json): bearer key, a
 * deadline per call, 404 → null on reads and CoreCardNotFoundError on card actions.
 */
export class HttpCoreBankingClient extends CoreBankingPort {
  private readonly base: string;

  constructor(private readonly options: HttpCoreBankingOptions) {
    super();
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  findCustomerByPhone(e164: string): Promise<CoreCustomer | null> {
    return this.getJson(
      'by_phone',
      `/customers?${new URLSearchParams({ phone: e164 }).toString()}`,
      CustomerSchema,
    );
  }

  findCustomerByAppUser(appUserId: string): Promise<CoreCustomer | null> {
    return this.getJson(
      'by_app_user',
      `/customers?${new URLSearchParams({ appUserId }).toString()}`,
      CustomerSchema,
    );
  }

  findCustomerByEmail(email: string): Promise<CoreCustomer | null> {
    return this.getJson(
      'by_email',
      `/customers?${new URLSearchParams({ email }).toString()}`,
      CustomerSchema,
    );
  }

  getCustomer(customerId: string): Promise<CoreCustomer | null> {
    return this.getJson('customer', `/customers/${encodeURIComponent(customerId)}`, CustomerSchema);
  }

  async getCards(customerId: string): Promise<CoreCard[]> {
    const body = await this.getJson(
      'cards',
      `/customers/${encodeURIComponent(customerId)}/cards`,
      CardsSchema,
    );
    return body?.cards ?? [];
  }

  async getTransactions(customerId: string, limit: number): Promise<CoreTransaction[]> {
    const path = `/customers/${encodeURIComponent(customerId)}/transactions?limit=${limit}`;
    const body = await this.getJson('transactions', path, TransactionsSchema);
    return body?.transactions ?? [];
  }

  blockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    return this.cardAction('block', customerRef, cardId, by);
  }

  unblockCard(customerRef: string, cardId: string, by: CardActor): Promise<CoreCard> {
    return this.cardAction('unblock', customerRef, cardId, by);
  }

  /** One attempt, never retried here: the caller decides (an agent sees the error). */
  private async cardAction(
    action: 'block' | 'unblock',
    customerRef: string,
    cardId: string,
    by: CardActor,
  ): Promise<CoreCard> {
    const path = `/customers/${encodeURIComponent(customerRef)}/cards/${encodeURIComponent(cardId)}/${action}`;
    const card = await this.getJson(`${action}_card`, path, CardSchema, {
      actor: by.actor,
      reason: by.reason,
    });
    if (!card) throw new CoreCardNotFoundError();
    return card;
  }

  private async getJson<S extends z.ZodType>(
    op: string,
    path: string,
    schema: S,
    postBody?: unknown,
  ): Promise<z.infer<S> | null> {
    const end = seconds.startTimer({ op });
    try {
      const result = await this.fetchJson(path, schema, postBody);
      calls.inc({ op, outcome: result === null ? 'not_found' : 'ok' });
      return result;
    } catch (e) {
      calls.inc({ op, outcome: 'unavailable' });
      throw e;
    } finally {
      end();
    }
  }

  private async fetchJson<S extends z.ZodType>(
    path: string,
    schema: S,
    postBody?: unknown,
  ): Promise<z.infer<S> | null> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
    };
    let res: Response;
    try {
      res = await fetch(
        this.base + path,
        postBody === undefined
          ? { headers, signal }
          : {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify(postBody),
              signal,
            },
      );
    } catch (e) {
      throw new CoreBankingUnavailableError(
        signal.aborted
          ? `no answer within ${this.options.timeoutMs} ms`
          : 'core banking is unreachable',
        e,
      );
    }
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      // 401/403 mean our key is wrong: no better than down for the caller, but worth its own message.
      throw new CoreBankingUnavailableError(`core banking answered HTTP ${res.status}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (e) {
      throw new CoreBankingUnavailableError(
        signal.aborted ? `no answer within ${this.options.timeoutMs} ms` : 'unreadable answer',
        e,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new CoreBankingUnavailableError('answer does not match the core-banking contract');
    }
    return parsed.data;
  }
}
