import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { RouterRequests } from '@omnigate/contracts';
import type { ConsentChangedV1, MessageView } from '@omnigate/contracts';
import { AuditLogRepository, DbHandle } from '@omnigate/store';
import { pollUntil, readSubject } from '@omnigate/testing';
// Test-only: the real router owns and writes the customer's data; the console asks it over the
// bus (on PostgreSQL each logs in as its own database role). Production code never imports
// another app.
import { inbound, startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { errorOf, startConsoleBeside } from './console.harness';
import type { ConsoleBeside } from './console.harness';

const AGENTS = { alice: 'alice-pw-8f2c91', dora: 'dora-password-22' };
const PHONE = '+393471234567';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// Encryption at rest on: erasure is crypto-shredding, the console opens with the same keys.
const KEYS = {
  DATA_KEKS: `k1:${randomBytes(32).toString('base64')}`,
  DATA_INDEX_KEY: randomBytes(32).toString('base64'),
};

interface Consents {
  customerId: string;
  consents: Array<{ channel: string; purpose: string; granted: boolean; source: string }>;
}

describe('console: consents, export and erasure are carried out by the router', () => {
  let sys: RouterSystem;
  let console: ConsoleBeside;
  const tokens = {} as Record<keyof typeof AGENTS, string>;
  let conversationId = '';
  let customerId = '';
  const call = (who: keyof typeof AGENTS, method: string, path: string, body?: unknown) =>
    console.call(tokens[who], method, path, body);
  /** One audit chain: the router's records of what it did, the console's (with a role) of requests. */
  const records = async (action: string, by: 'router' | 'console') =>
    (await sys.router.app.get(AuditLogRepository).recent(100)).filter(
      (a) => a.action === action && (by === 'console') === (a.detail.role !== undefined),
    );

  beforeAll(async () => {
    sys = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false', ...KEYS });
    // The console opens with the KEKs alone: the blind-index key is the router's.
    console = await startConsoleBeside(sys, AGENTS, {
      CONSOLE_ROLES: 'dora:dpo',
      DATA_KEKS: KEYS.DATA_KEKS,
    });
    for (const who of Object.keys(AGENTS) as Array<keyof typeof AGENTS>) {
      tokens[who] = await console.login(who);
    }
    await sys.sendInbound(inbound({ from: { address: PHONE }, text: 'Vorrei le offerte via SMS' }));
    const created = await pollUntil(
      () =>
        sys.events
          .map((e) => e.event)
          .find((e) => e.kind === 'message.created' && e.message.text.startsWith('Vorrei')),
      { what: 'the stored SMS' },
    );
    if (created.kind !== 'message.created') throw new Error('unreachable');
    conversationId = created.conversation.id;
    customerId = created.conversation.customer.id;
  });
  afterAll(async () => {
    await console?.app.close();
    await sys?.close();
  });

  it("records an agent's consent change in the router, which tells the SMS gateway", async () => {
    const path = `/api/customers/${customerId}/consents`;
    const put = await call('alice', 'PUT', path, {
      consents: [{ channel: 'sms', purpose: 'marketing', granted: true }],
    });
    expect(put.status).toBe(200);
    const saved = (await put.json()) as Consents;
    expect(saved.customerId).toBe(customerId);
    expect(saved.consents).toContainEqual(
      expect.objectContaining({ channel: 'sms', purpose: 'marketing', granted: true }),
    );
    expect(saved.consents.find((c) => c.purpose === 'marketing' && c.channel === 'sms')).toEqual(
      expect.objectContaining({ source: 'agent' }),
    );
    expect(await (await call('alice', 'GET', path)).json()).toEqual(saved);
    // Stored by the router, with who decided; and announced by it (not by the console).
    const rows = await sys.router.app
      .get(DbHandle)
      .db.execute(sql`SELECT source, updated_by FROM consents WHERE customer_id = ${customerId}`);
    expect((rows as { rows: unknown[] }).rows).toEqual([
      { source: 'agent', updated_by: 'agent:alice' },
    ]);
    const event = await pollUntil(
      async () =>
        (
          await readSubject<ConsentChangedV1>(sys.bus, 'CONSENT_EVENTS', 'consent.v1.changed.sms')
        ).find((e) => e.source === 'agent'),
      { what: "the agent's change on the bus" },
    );
    expect(event).toMatchObject({
      addresses: [PHONE],
      changes: [{ purpose: 'marketing', granted: true }],
    });
    const unknown = await call('alice', 'PUT', `/api/customers/${UNKNOWN}/consents`, {
      consents: [{ channel: 'sms', purpose: 'service', granted: false }],
    });
    expect(await errorOf(unknown)).toMatchObject({
      status: 404,
      code: 'CONSOLE.CUSTOMER_NOT_FOUND',
    });
  });

  it('exports a customer for a dpo only, audited by the console and by the router', async () => {
    expect((await call('alice', 'GET', `/api/customers/${customerId}/export`)).status).toBe(403);
    const res = await call('dora', 'GET', `/api/customers/${customerId}/export`);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as {
      erased: boolean;
      identities: Array<{ address: string }>;
      messages: Array<{ text: string }>;
    };
    expect(bundle.erased).toBe(false);
    expect(bundle.identities.map((i) => i.address)).toEqual([PHONE]);
    expect(bundle.messages.map((m) => m.text)).toEqual(['Vorrei le offerte via SMS']);
    expect(await records('customer.export', 'router')).toEqual([
      expect.objectContaining({ actor: 'dora', subject: customerId }),
    ]);
    expect(
      (await errorOf(await call('dora', 'GET', `/api/customers/${UNKNOWN}/export`))).status,
    ).toBe(404);
  });

  it('refuses erasure under a legal hold (409), then erases: the console shows [erased] at once', async () => {
    const erase = () =>
      call('dora', 'POST', `/api/customers/${customerId}/erasure`, { reason: 'GDPR art. 17' });
    const timeline = async () =>
      (
        (await (await call('dora', 'GET', `/api/conversations/${conversationId}`)).json()) as {
          messages: MessageView[];
        }
      ).messages;
    // Read once: the console has her data key in its cache now.
    expect((await timeline())[0]!.text).toBe('Vorrei le offerte via SMS');
    const db = sys.router.app.get(DbHandle).db;
    await db.execute(
      sql`UPDATE customers SET legal_hold_until = now() + interval '1 day' WHERE id = ${customerId}`,
    );
    expect(await errorOf(await erase())).toMatchObject({
      status: 409,
      code: 'ERASURE.LEGAL_HOLD_CONFLICT',
    });
    await db.execute(sql`UPDATE customers SET legal_hold_until = NULL WHERE id = ${customerId}`);
    const res = await erase();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ customerId, identitiesRevoked: 1 });
    expect((await timeline())[0]!.text).toBe('[erased]');
    expect(await records('customer.erase', 'router')).toEqual([
      expect.objectContaining({ actor: 'dora', subject: customerId }),
    ]);
    expect(await records('customer.erase.refused', 'router')).toHaveLength(1);
    // The console's own records of the two requests, with their outcome.
    const requests = await records('customer.erase', 'console');
    expect(requests.map((a) => [a.actor, a.detail.outcome]).sort()).toEqual([
      ['dora', 'failed'],
      ['dora', 'ok'],
    ]);
    const after = await sys.rpc.request(RouterRequests.exportCustomer, {
      customerId,
      actor: 'test',
    });
    expect(after).toMatchObject({ erased: true, messages: [], identities: [] });
  });
});
