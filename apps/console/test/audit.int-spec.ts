import { metricsUrl, serveRequest } from '@omnigate/testing';
import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { CustomerContextV1Schema, RouterRequests } from '@omnigate/contracts';
import type { CustomerContextV1 } from '@omnigate/contracts';

import { ConversationsRepository, DbHandle } from '@omnigate/store';
import type { AuditRow } from '@omnigate/store';
import { errorOf, startConsole, startRouterDouble } from './console.harness';
import type { ConsoleHarness } from './console.harness';
import { seedTwoChannelConversation } from './conversations.seed';

const PW = 'a-long-test-password';
const PEOPLE = { alice: 'agent', sam: 'supervisor', ada: 'admin', dora: 'dpo' } as const;
type Person = keyof typeof PEOPLE;

interface SearchAnswer {
  chainBrokenAt: number | null;
  entries: AuditRow[];
  nextBefore: number | null;
}

describe('console audit: every view and action recorded, searchable by admin and dpo', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let conversationId: string;
  let customerId: string;
  const tokens = {} as Record<Person, string>;

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: Object.keys(PEOPLE)
        .map((id) => `${id}:${PW}`)
        .join(','),
      CONSOLE_ROLES: Object.entries(PEOPLE)
        .filter(([, role]) => role !== 'agent')
        .map(([id, role]) => `${id}:${role}`)
        .join(','),
      CONSOLE_RPC_TIMEOUT_MS: '500',
      // The test client stands in for the load balancer: its X-Forwarded-For is believed.
      TRUSTED_PROXIES: '127.0.0.1',
    });
    mod = await startRouterDouble(h);
    // The router's context answer, with the customer's assurance right now.
    serveRequest(mod, RouterRequests.getContext, async (req): Promise<CustomerContextV1> => {
      const found = await mod.get(ConversationsRepository).get(req.conversationId);
      const now = Date.now();
      return CustomerContextV1Schema.parse({
        customer: { id: found!.customer.id, displayName: null, verified: true },
        available: true,
        unavailableReason: null,
        linkedChannels: [],
        cards: [],
        recentTransactions: [],
        openTickets: [],
        assurance: {
          level: 'strong',
          reachedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 600_000).toISOString(),
          source: 'step_up',
        },
      });
    });
    ({ conversationId } = await seedTwoChannelConversation(mod));
    customerId = (await mod.get(ConversationsRepository).get(conversationId))!.customer.id;
    for (const id of Object.keys(PEOPLE) as Person[]) {
      const res = await h.call('POST', '/api/login', { body: { agentId: id, password: PW } });
      expect(res.status).toBe(200);
      tokens[id] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  const as = (who: Person, method: string, path: string, body?: unknown, headers = {}) =>
    h.call(method, path, { token: tokens[who], body, headers });
  const search = async (query: string, who: Person = 'ada'): Promise<SearchAnswer> => {
    const res = await as(who, 'GET', `/api/audit?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as SearchAnswer;
  };
  const latest = async (action: string): Promise<AuditRow> => {
    const [entry] = (await search(`action=${action}&limit=1`)).entries;
    expect(entry).toBeDefined();
    return entry!;
  };

  it('records a view of a timeline: who, role, from where, which customer, outcome', async () => {
    expect((await as('alice', 'GET', `/api/conversations/${conversationId}`)).status).toBe(200);
    const entry = await latest('conversation.view');
    expect(entry).toMatchObject({
      actor: 'alice',
      subject: conversationId,
      detail: { role: 'agent', ip: '127.0.0.1', outcome: 'ok', customerId },
    });
    expect(Date.now() - new Date(entry.at).getTime()).toBeLessThan(60_000);
  });

  it("records the customer's assurance at that moment when the view carries it (context)", async () => {
    expect((await as('sam', 'GET', `/api/conversations/${conversationId}/context`)).status).toBe(
      200,
    );
    expect(await latest('conversation.context.view')).toMatchObject({
      actor: 'sam',
      subject: conversationId,
      detail: { role: 'supervisor', customerId, assurance: 'strong', outcome: 'ok' },
    });
  });

  it('takes the client address from X-Forwarded-For of a trusted proxy (TRUSTED_PROXIES)', async () => {
    await as('alice', 'GET', `/api/conversations/${conversationId}`, undefined, {
      'x-forwarded-for': '198.51.100.7',
    });
    expect((await latest('conversation.view')).detail).toMatchObject({ ip: '198.51.100.7' });
  });

  it('records a refused action as denied with its code', async () => {
    const res = await as('alice', 'GET', `/api/customers/${customerId}/export`);
    expect((await errorOf(res)).code).toBe('CONSOLE.ROLE_FORBIDDEN');
    expect(await latest('customer.export')).toMatchObject({
      actor: 'alice',
      subject: customerId,
      detail: { outcome: 'denied', code: 'CONSOLE.ROLE_FORBIDDEN', customerId, role: 'agent' },
    });
  });

  it('records an action that failed downstream as failed, with ids only (never the reason text)', async () => {
    const res = await as('sam', 'POST', `/api/conversations/${conversationId}/cards/card-9/block`, {
      reason: 'customer reports a stolen wallet',
    });
    expect(res.status).toBe(503);
    const entry = await latest('card.block');
    expect(entry).toMatchObject({
      actor: 'sam',
      subject: 'card-9',
      detail: { outcome: 'failed', conversationId, role: 'supervisor' },
    });
    expect(JSON.stringify(entry)).not.toContain('wallet');
  });

  it('does not record a malformed request (nothing shown, nothing done)', async () => {
    const views = async () => (await search('actor=alice&limit=500')).entries.length;
    const before = await views();
    expect((await as('alice', 'GET', '/api/conversations/not-a-uuid')).status).toBe(400);
    expect(await views()).toBe(before);
    expect((await as('alice', 'GET', `/api/conversations/${conversationId}`)).status).toBe(200);
    expect(await views()).toBe(before + 1);
  });

  it('lets only admin and dpo search; the search itself is recorded with its filters', async () => {
    for (const who of ['alice', 'sam'] as const) {
      const e = await errorOf(await as(who, 'GET', '/api/audit'));
      expect(e).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    }
    await search(`customerId=${customerId}`, 'dora');
    expect(await latest('audit.search')).toMatchObject({
      actor: 'dora',
      subject: 'audit_log',
      detail: { role: 'dpo', customerId, outcome: 'ok' },
    });
  });

  it('filters by actor, action, subject, customer and time, newest first, page by page', async () => {
    const mine = await search('actor=alice&limit=100');
    expect(mine.entries.length).toBeGreaterThan(0);
    expect(mine.entries.every((e) => e.actor === 'alice')).toBe(true);
    const seqs = mine.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const forCustomer = await search(`customerId=${customerId}&limit=100`);
    expect(forCustomer.entries.every((e) => JSON.stringify(e).includes(customerId))).toBe(true);
    const views = (await search(`subject=${conversationId}&action=conversation.view`)).entries;
    expect(views.length).toBe(3);

    const page1 = await search('limit=2');
    expect(page1.entries).toHaveLength(2);
    const page2 = await search(`limit=2&before=${page1.nextBefore}`);
    expect(page2.entries[0]!.seq).toBeLessThan(page1.entries[1]!.seq);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await search(`from=${encodeURIComponent(future)}`)).entries).toEqual([]);
    const all = await search(`to=${encodeURIComponent(future)}&limit=500`);
    expect(all.entries.length).toBeGreaterThan(5);
    expect(all.chainBrokenAt).toBeNull();
  });

  it.each([
    ['an unknown filter', 'actr=alice', 'query: Unrecognized key'],
    ['a time that is not ISO 8601', 'from=yesterday', 'query from: an ISO 8601 time'],
    [
      'from after to',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'from must not be after to',
    ],
    ['a customer id that is not a UUID', 'customerId=giulia', 'query customerId'],
    [
      'an action that is not a name',
      'action=DROP%20TABLE',
      'an action name such as conversation.view',
    ],
    ['a limit out of range', 'limit=0', 'query limit'],
    ['a cursor that is not a seq', 'before=abc', 'query before'],
    ['a filter given twice', 'actor=a&actor=b', 'query actor'],
  ])('answers 400 REQUEST.INVALID for %s', async (_what, query, message) => {
    const e = await errorOf(await as('ada', 'GET', `/api/audit?${query}`));
    expect(e).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(e.message).toContain(message);
  });

  it('shows a record changed in the database: chainBrokenAt and /api/audit/verify say where and why', async () => {
    const ok = await as('dora', 'GET', '/api/audit/verify');
    expect(await ok.json()).toMatchObject({ brokenAt: null, reason: null });
    const target = await latest('conversation.view');
    const db = mod.get(DbHandle).db;
    await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
    await db.execute(
      sql`UPDATE audit_log SET detail = detail || '{"ip":"10.9.9.9"}' WHERE seq = ${target.seq}`,
    );
    await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
    expect((await search('limit=1')).chainBrokenAt).toBe(target.seq);
    const res = await as('ada', 'GET', '/api/audit/verify');
    expect(await res.json()).toMatchObject({
      brokenAt: target.seq,
      reason: 'hash_mismatch',
      checked: target.seq - 1,
      explanation: expect.stringContaining('changed') as unknown,
    });
  });

  it('withholds the data when its record cannot be written (503 AUDIT.UNAVAILABLE)', async () => {
    const db = mod.get(DbHandle).db;
    // The database refuses this one kind of record, as a full disk or a lost connection would.
    await db.execute(
      sql.raw(
        `ALTER TABLE audit_log ADD CONSTRAINT no_views CHECK (action <> 'conversation.view') NOT VALID`,
      ),
    );
    try {
      const res = await as('alice', 'GET', `/api/conversations/${conversationId}`);
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'AUDIT.UNAVAILABLE' } });
      expect(body).not.toContain('carta');
      // An operator sees it: records that could not be written are counted.
      const metrics = await (await fetch(`${metricsUrl(h.app)}/metrics`)).text();
      const failed = /omnigate_console_audit_records_total\{outcome="write_failed"\} (\d+)/.exec(
        metrics,
      );
      expect(Number(failed?.[1])).toBeGreaterThanOrEqual(1);
      expect(metrics).toMatch(/omnigate_console_audit_records_total\{outcome="ok"\} [1-9]/);
    } finally {
      await db.execute(sql.raw('ALTER TABLE audit_log DROP CONSTRAINT no_views'));
    }
    expect((await as('alice', 'GET', `/api/conversations/${randomUUID()}`)).status).toBe(404);
  });
});
