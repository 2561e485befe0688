import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { InboundMessageV1, Redaction } from '@omnigate/contracts';
import { AuditLogRepository, DbHandle, JourneysRepository } from '@omnigate/store';
import { generateHpkeKeyPair } from '@omnigate/crypto';
import type { RunningHttpApp } from '@omnigate/kit';
import { databaseEnvAs, freePort, metricsUrl, pollUntil } from '@omnigate/testing';
// Test-only: the real router (journey projection on CONV_EVENTS under its own NATS user) beside
// the real console (its read grants on the journey tables). Production code never imports another
// app.
import { CORE_BANKING_SEED, SEED_IDS } from '../../router/test/core-banking.harness';
import {
  createdFor,
  inappMessage,
  inbound,
  startRouterSystem,
} from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { bootstrap as startVault } from '../../vault/src/bootstrap';
import { runJourneysRebuild } from '../../../tools/journeys-rebuild.command';
import { JourneySummarySchema } from '@omnigate/contracts';
import type { JourneySummary } from '@omnigate/contracts';
import { errorOf, startConsoleBeside } from './console.harness';
import type { ConsoleBeside } from './console.harness';

const AGENTS = { alice: 'alice-pw-8f2c91', sam: 'sam-password-31', dora: 'dora-password-22' };
const person = (id: string) => CORE_BANKING_SEED.customers.find((c) => c.id === id)!;
const GIULIA = person(SEED_IDS.giulia);
const MARCO = person(SEED_IDS.marco);
const LAST4 = '4821';

/** What a gateway publishes for a card number in the text: a fresh random reference each time. */
function card(): { text: string; redaction: Redaction } {
  const token = `ref_${Array.from({ length: 20 }, () => 'abcdefghijklmnop'[Math.floor(Math.random() * 16)]).join('')}`;
  return {
    text: `[card visa ****${LAST4} ${token}]`,
    redaction: { token, brand: 'visa', last4: LAST4 },
  };
}

/** The rows of a drizzle `execute` on either driver (pg gives a result, PGlite its rows). */
function rowsOf(result: unknown): Array<{ s: string }> {
  return Array.isArray(result)
    ? (result as Array<{ s: string }>)
    : (result as { rows: Array<{ s: string }> }).rows;
}

/** Every key and string of a JSON value, except values under a `digest` key. */
function textOutsideDigests(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOutsideDigests).join(' ');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => (k === 'digest' ? k : `${k} ${textOutsideDigests(v)}`))
      .join(' ');
  }
  return '';
}

describe('console: the journey dashboard from the router’s projection of a real conversation', () => {
  let sys: RouterSystem;
  let console: ConsoleBeside;
  let vault: RunningHttpApp | undefined;
  const tokens = {} as Record<keyof typeof AGENTS, string>;
  let conversationId = '';
  let customerId = '';
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const range = () => `from=${day(-1)}&to=${day(1)}`;
  const summary = async (): Promise<JourneySummary> => {
    const res = await console.call(tokens.sam, 'GET', `/api/journeys/summary?${range()}`);
    expect(res.status).toBe(200);
    // The answer must be the contract the dashboard reads (libs/contracts), not just JSON.
    return JourneySummarySchema.parse(await res.json());
  };
  const send = async (msg: InboundMessageV1) => {
    await sys.sendInbound(msg);
    return pollUntil(() => createdFor(sys.events, msg.text)[0], {
      what: `message.created for "${msg.text}"`,
    });
  };

  /** Events the live consumer holds while it waits (a rebuild's mark), from the router's metrics. */
  const journeysWaiting = async () => {
    const text = await (await fetch(`${metricsUrl(sys.router)}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('omnigate_bus_waiting_messages{consumer="router-journeys"}'));
    return Number(line?.split(' ').at(-1) ?? 0);
  };

  beforeAll(async () => {
    // The real NATS users: the router reads CONV_EVENTS as `router`, the rebuild runs as `operator`.
    sys = await startRouterSystem({}, { natsUsers: true });
    console = await startConsoleBeside(sys, AGENTS, {
      CONSOLE_ROLES: 'sam:supervisor,dora:dpo',
      ...sys.natsEnvOf('console'),
    });
    for (const who of Object.keys(AGENTS) as Array<keyof typeof AGENTS>) {
      tokens[who] = await console.login(who);
    }
  });
  afterAll(async () => {
    await vault?.close();
    await console?.app.close();
    await sys?.close();
  });

  it('counts one conversation, whatsapp → inapp, its switch, the card said again there, and FCR', async () => {
    const first = card();
    const wa = await send(
      inbound({
        channel: 'whatsapp',
        providerMessageId: `wamid.${randomUUID()}`,
        from: { address: GIULIA.phone },
        text: `Buongiorno, ho un problema con la carta ${first.text}`,
        redactions: [first.redaction],
      }),
    );
    conversationId = wa.conversation.id;
    customerId = wa.conversation.customer.id;
    const again = card();
    const app = await send({
      ...inappMessage(
        GIULIA.appUserId!,
        `Vi riscrivo dall’app: la carta è ${again.text}, voglio parlare con un operatore`,
        `c-${randomUUID()}`,
      ),
      redactions: [again.redaction],
    });
    expect(app.conversation.id).toBe(conversationId);
    // The bot hands over: the conversation waits for an agent.
    await pollUntil(
      () =>
        sys.events.some(
          (e) =>
            e.conversationId === conversationId &&
            e.event.kind === 'routing.changed' &&
            e.event.control === 'pending',
        ),
      { what: 'the hand-off' },
    );
    const reply = await console.call(
      tokens.alice,
      'POST',
      `/api/conversations/${conversationId}/messages`,
      {
        text: 'Ciao Giulia, ci penso io.',
      },
    );
    expect(reply.status).toBe(201);
    const release = await console.call(
      tokens.alice,
      'POST',
      `/api/conversations/${conversationId}/control`,
      {
        action: 'release',
      },
    );
    expect(release.status).toBe(200);

    const s = await pollUntil(
      async () => {
        const got = await summary();
        return got.fcr.resolved === 1 && got;
      },
      { what: 'the resolution in the journey summary', timeoutMs: 15_000 },
    );
    expect(s.conversations).toBe(1);
    expect(s.flows).toEqual([{ start: 'whatsapp', end: 'inapp', count: 1 }]);
    expect(s.switches).toBe(1);
    expect(s.contextLoss).toMatchObject({
      total: 1,
      bySwitch: [{ from: 'whatsapp', to: 'inapp', count: 1 }],
      byHandoff: 0,
      byKind: [{ kind: 'card', count: 1 }],
    });
    expect(s.fcr).toMatchObject({ rate: 1, resolved: 1, firstContact: 1 });
    expect(s.fcr.series).toEqual([{ day: day(0), resolved: 1, firstContact: 1 }]);
    expect(s.resolution.count).toBe(1);
    expect(s.firstResponse.count).toBe(1);
    expect(s.botContainment).toMatchObject({ botOnly: 0, handedOff: 1 });
    // Nothing the customer said is kept: the projection holds digests, never the last four.
    // (A digest is hex, so it may hold the four digits by chance: text is read outside digests.)
    const rows = await sys.router.app
      .get(DbHandle)
      .db.execute(sql`SELECT state::text AS s FROM journey_conversations`);
    const states = rowsOf(rows).map((r) => JSON.parse(r.s) as unknown);
    expect(states).toHaveLength(1);
    expect(textOutsideDigests(states)).not.toContain(LAST4);
    expect(JSON.stringify(states)).not.toContain('last4');
  });

  it('answers CSV, refuses an agent (403) and a backwards range (400)', async () => {
    const csv = await console.call(tokens.sam, 'GET', `/api/journeys/summary.csv?${range()}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const text = await csv.text();
    expect(text.split('\n')[0]).toMatch(/,/);
    expect(text).toMatch(/whatsapp/);

    const agent = await console.call(tokens.alice, 'GET', `/api/journeys/summary?${range()}`);
    expect(await errorOf(agent)).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    const backwards = await console.call(
      tokens.sam,
      'GET',
      `/api/journeys/summary?from=${day(1)}&to=${day(-1)}`,
    );
    expect(await errorOf(backwards)).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
  });

  it('rebuilds the same figures from CONV_EVENTS as the operator, and only as the operator', async () => {
    const before = await summary();
    const rebuild = async (user: string, args: string[] = []) => {
      const lines: string[] = [];
      const env = { NATS_URL: sys.nats.url, ...sys.natsEnvOf(user) };
      const code = await runJourneysRebuild(args, env, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    // The console's NATS user may not ask for it.
    const refused = await rebuild('console');
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('BUS.PERMISSION_DENIED');

    // An interrupted rebuild: the projection emptied and marked. A plain rebuild is refused.
    expect(await sys.router.app.get(JourneysRepository).beginRebuild()).toBe(true);
    expect((await summary()).conversations).toBe(0);
    const marked = await rebuild('operator');
    expect(marked.code).toBe(1);
    expect(marked.out).toContain('JOURNEY.REBUILD_CONFLICT');
    // Meanwhile the live consumer holds new events back (waits, never dead-letters them).
    await send(inbound({ from: { address: MARCO.phone }, text: 'buongiorno' }));
    await pollUntil(async () => (await journeysWaiting()) > 0, {
      what: 'router-journeys to hold the new events back',
    });
    expect((await summary()).conversations).toBe(0);

    const forced = await rebuild('operator', ['--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/\b2 conversations\b/);
    await pollUntil(async () => (await journeysWaiting()) === 0, {
      what: 'the held events to be let go (duplicates of the replay)',
    });
    const after = await summary();
    expect(after.conversations).toBe(2);
    expect(after.flows).toEqual(
      expect.arrayContaining([...before.flows, { start: 'sms', end: 'sms', count: 1 }]),
    );
    expect(after.contextLoss).toEqual(before.contextLoss);
    expect(after.fcr).toEqual(before.fcr);
    expect(after.switches).toBe(before.switches);

    // A second rebuild over the live projection gives the same figures again.
    expect((await rebuild('operator')).code).toBe(0);
    expect(await summary()).toEqual(after);
    expect(sys.deadLetters).toEqual([]);
    const audit = await sys.router.app.get(AuditLogRepository).recent(50);
    expect(audit.filter((a) => a.action === 'journeys.rebuilt')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'journeys.rebuild.refused')).toHaveLength(1);
  });

  it('forgets an erased customer’s journey, and a rebuild does not bring it back', async () => {
    // The erasure asks the real vault to forget her card references.
    vault = await startVault({
      NATS_URL: sys.nats.url,
      ...sys.natsEnvOf('vault'),
      ...databaseEnvAs(sys.db, 'vault'),
      VAULT_PORT: String(await freePort()),
      VAULT_PRIVATE_KEYS: (await generateHpkeKeyPair('v1')).privateKey,
      VAULT_TOKEN_KEY: 'journeys-test-vault-token-key-0123456789',
      LOG_LEVEL: 'warn',
    });
    const res = await console.call(tokens.dora, 'POST', `/api/customers/${customerId}/erasure`, {
      reason: 'GDPR art. 17',
    });
    expect(res.status).toBe(200);
    const record = (await sys.router.app.get(AuditLogRepository).recent(50)).find(
      (a) => a.action === 'customer.erase.bus',
    );
    expect(record?.detail).toMatchObject({ journeysErased: 1 });
    // Marco's conversation stays; hers is gone, with its switch, context loss and resolution.
    const left = await summary();
    expect(left).toMatchObject({ conversations: 1, switches: 0 });
    expect(left.flows).toEqual([{ start: 'sms', end: 'sms', count: 1 }]);
    expect(left.contextLoss.total).toBe(0);
    expect(left.fcr.resolved).toBe(0);

    const lines: string[] = [];
    const env = { NATS_URL: sys.nats.url, ...sys.natsEnvOf('operator') };
    expect(await runJourneysRebuild([], env, (l) => lines.push(l))).toBe(0);
    expect(await summary()).toEqual(left);
    const rows = await sys.router.app
      .get(DbHandle)
      .db.execute(
        sql`SELECT count(*)::int AS n FROM journey_events WHERE conversation_id = ${conversationId}`,
      );
    expect(JSON.stringify(rows)).toMatch(/"n":0\b/);
  });
});
