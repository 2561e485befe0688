import { createHmac } from 'node:crypto';
import type { CoreBankingEventV1 } from '@omnigate/contracts';
import { Subjects } from '@omnigate/contracts';
import { pollUntil, readSubject } from '@omnigate/testing';
import { CORE_EVENTS_SECRET, SEED_IDS } from './core-banking.harness';
import type { SandboxCoreEvent } from './core-banking.harness';
import { startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

interface ErrorBody {
  error: { code: string; message: string };
}

/** What a bank sends: `t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, computed here independently. */
function sign(
  body: string,
  t = Math.floor(Date.now() / 1000),
  secret = CORE_EVENTS_SECRET,
): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

describe("router: the bank's signed core-event webhook → CORE_EVENTS", () => {
  let sys: RouterSystem;
  let eventsUrl: string;
  let seq = 0;
  const onStream = (kind: string) =>
    readSubject<CoreBankingEventV1>(sys.bus, 'CORE_EVENTS', Subjects.coreEvent(kind));
  const storedWithId = async (kind: string, coreEventId: string) =>
    (await onStream(kind)).filter((e) => e.coreEventId === coreEventId);
  const post = (body: string, signature?: string) =>
    fetch(eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-core-signature': signature }),
      },
      body,
    });
  const newEvent = (kind = 'sim_swap', over: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: `evt_test_${Date.now()}_${++seq}`,
      kind,
      occurredAt: new Date().toISOString(),
      customerRef: SEED_IDS.marco,
      ...over,
    });

  beforeAll(async () => {
    sys = await startRouterSystem();
    eventsUrl = `${sys.router.url}/core-banking/events`;
    await sys.core.setEventsTarget(eventsUrl);
  });
  afterAll(async () => sys?.close());

  it("stores the fraud engine's block, with its card and payment, on core.v1.event.card_blocked_by_fraud", async () => {
    const { event, card, transaction } = await sys.core.control<{
      event: SandboxCoreEvent;
      card: { id: string; status: string; blockedBy: string; blockReason: string };
      transaction: { id: string; merchant: string };
    }>('fraud-block', { customerId: SEED_IDS.giulia, merchant: 'QUICKPAY*TEST-SHOP' });
    expect(card).toMatchObject({
      id: SEED_IDS.giuliaActiveCard,
      status: 'blocked',
      blockedBy: 'fraud_engine',
    });
    expect(card.blockReason).toContain('QUICKPAY*TEST-SHOP');
    expect(card.blockReason).toContain(transaction.id);
    const [stored] = await pollUntil(
      async () => {
        const found = await storedWithId('card_blocked_by_fraud', event.id);
        return found.length > 0 && found;
      },
      { what: 'the fraud block on CORE_EVENTS' },
    );
    expect(stored).toMatchObject({
      type: 'omnigate.core.event.v1',
      version: 1,
      kind: 'card_blocked_by_fraud',
      coreEventId: event.id,
      customerRef: SEED_IDS.giulia,
      cardId: SEED_IDS.giuliaActiveCard,
      transactionId: transaction.id,
      occurredAt: event.occurredAt,
    });
    const record = (await sys.core.events()).find((r) => r.event.id === event.id);
    expect(record).toMatchObject({ delivered: true, attempts: [{ status: 202 }] });
  });

  it("stores SIM swap, new device, phone change and an agent's unblock the same way", async () => {
    const sent: SandboxCoreEvent[] = [];
    const signal = async (path: string, body: unknown) =>
      sent.push((await sys.core.control<{ event: SandboxCoreEvent }>(path, body)).event);
    await signal('sim-swap', { customerId: SEED_IDS.oliver });
    await signal('new-device', { customerId: SEED_IDS.oliver });
    await signal('phone-change', { customerId: SEED_IDS.oliver, phone: '+447911123457' });
    const unblock = await fetch(
      `${sys.core.apiUrl}/customers/${SEED_IDS.oliver}/cards/card-1003-a/unblock`,
      {
        method: 'POST',
        headers: {
          authorization: 'Bearer router-test-core-key',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ actor: 'agent-alice', reason: 'card found by the customer' }),
      },
    );
    expect(unblock.status).toBe(200);
    const unblocked = (await sys.core.events()).find(
      (r) => r.event.kind === 'card_unblocked' && r.event.customerRef === SEED_IDS.oliver,
    );
    sent.push(unblocked!.event);
    expect(sent.map((e) => e.kind)).toEqual([
      'sim_swap',
      'new_device',
      'phone_changed',
      'card_unblocked',
    ]);
    for (const e of sent) {
      await pollUntil(async () => (await storedWithId(e.kind, e.id)).length === 1, {
        what: `${e.kind} on CORE_EVENTS`,
      });
    }
    expect((await storedWithId('card_unblocked', unblocked!.event.id))[0]).toMatchObject({
      customerRef: SEED_IDS.oliver,
      cardId: 'card-1003-a',
    });
  });

  it('refuses a wrong signature with 401 and publishes nothing', async () => {
    const body = newEvent();
    const res = await post(body, sign(body, undefined, 'not-the-shared-secret'));
    expect(res.status).toBe(401);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('CORE_EVENTS.UNAUTHORIZED');
    expect(error.message).toMatch(/^mismatch: /);
    // A signature of another body does not pass either.
    const tampered = await post(body.replace(SEED_IDS.marco, SEED_IDS.giulia), sign(body));
    expect(((await tampered.json()) as ErrorBody).error.message).toMatch(/^mismatch: /);
    const missing = await post(body);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.message).toMatch(/^missing: /);
    const malformed = await post(body, 'sha256=abc');
    expect(((await malformed.json()) as ErrorBody).error.message).toMatch(/^malformed: /);
    // The proof that nothing was published: the same event, signed right, is stored as new.
    const ok = await post(body, sign(body));
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ accepted: true, duplicate: false });
    const id = (JSON.parse(body) as { id: string }).id;
    expect(await storedWithId('sim_swap', id)).toHaveLength(1);
  });

  it('refuses a replayed request whose timestamp is older than five minutes', async () => {
    const body = newEvent('new_device');
    const old = Math.floor(Date.now() / 1000) - 301;
    const res = await post(body, sign(body, old));
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/^stale: /);
    const id = (JSON.parse(body) as { id: string }).id;
    expect(await storedWithId('new_device', id)).toHaveLength(0);
  });

  it("stores a duplicate delivery once (dedupe by the bank's event id)", async () => {
    const body = newEvent('phone_changed');
    const first = await post(body, sign(body));
    const again = await post(body, sign(body, Math.floor(Date.now() / 1000) + 1));
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
    const id = (JSON.parse(body) as { id: string }).id;
    expect(await storedWithId('phone_changed', id)).toHaveLength(1);
  });

  it('answers 400 to a signed body that is not a core event, and 413 to a huge one', async () => {
    const body = newEvent('card_stolen');
    const res = await post(body, sign(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('REQUEST.INVALID');
    const huge = newEvent('sim_swap', { padding: 'x'.repeat(20_000) });
    expect((await post(huge, sign(huge))).status).toBe(413);
  });

  it('answers 503 while the bus is down, so the bank retries, and 202 once it is back', async () => {
    const body = newEvent('sim_swap');
    await sys.nats.stop();
    try {
      const res = await post(body, sign(body));
      expect(res.status).toBe(503);
      expect(((await res.json()) as ErrorBody).error.code).toBe('BUS.UNAVAILABLE');
    } finally {
      await sys.nats.start();
    }
    const retried = await pollUntil(
      async () => {
        const r = await post(body, sign(body));
        return r.status === 202 && r;
      },
      { what: 'a 202 after NATS came back', timeoutMs: 20_000 },
    );
    expect(retried.status).toBe(202);
    const id = (JSON.parse(body) as { id: string }).id;
    expect(await storedWithId('sim_swap', id)).toHaveLength(1);
  }, 60_000);
});
