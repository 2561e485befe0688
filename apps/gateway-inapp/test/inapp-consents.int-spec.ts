import { RouterRequests } from '@omnigate/contracts';
import type { AppConsentsResponseV1, SendReplyRequestV1 } from '@omnigate/contracts';
import type { RunningHttpApp } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
// Test-only: the real router (with the core-banking stand-in) answers the gateway's consent
// requests and checks consent before each outbound, so the test covers
// app → gateway → bus → router → database → the router's own refusal. Production code of the
// gateway never imports another app.
import { createdFor, inbound, startRouterSystem } from '../../router/test/router.harness';
import type { MessageCreated, RouterSystem } from '../../router/test/router.harness';
import { CORE_BANKING_SEED, SEED_IDS } from '../../router/test/core-banking.harness';
import { ConsentService } from '../../router/src/consent/consent.service';
import { appToken, startGateway } from './inapp.harness';

// database-incidental: the gateway holds no database; the consent store it reaches through the
// router runs on both databases in libs/store/test/consents.int-spec.ts and the consent end-to-end
// path

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;
type Consent = AppConsentsResponseV1['consents'][number];
type ErrorBody = { error: { code: string; message: string } };

describe('gateway-inapp: the customer reads and sets consent per channel and purpose', () => {
  let sys: RouterSystem;
  let gw: RunningHttpApp;
  let giulia: MessageCreated;
  let key = 0;
  const call = (method: 'GET' | 'PUT', token: string | null, body?: unknown) =>
    fetch(`${gw.url}/v1/consents`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const giuliaToken = () => appToken(GIULIA.appUserId!);
  const find = (consents: Consent[], channel: string, purpose: string) =>
    consents.find((c) => c.channel === channel && c.purpose === purpose);
  const reply = (over: Partial<SendReplyRequestV1>) =>
    sys.rpc.request(RouterRequests.sendReply, {
      conversationId: giulia.conversation.id,
      agentId: 'alice',
      text: 'Offerta: nuova carta / New card offer',
      idempotencyKey: `consent-${++key}`,
      ...over,
    });

  beforeAll(async () => {
    // Agents answer here: no bot replies in between.
    sys = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false' });
    gw = await startGateway({ nats: sys.nats });
    // Giulia wrote by SMS: an open conversation, her phone a known address.
    await sys.sendInbound(inbound({ from: { address: GIULIA.phone }, text: 'Info sulle offerte' }));
    giulia = await pollUntil(() => createdFor(sys.events, 'Info sulle offerte')[0], {
      what: "Giulia's SMS stored",
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sys?.close();
  });

  it('refuses without a valid login (401) and for an app user the bank does not know (404)', async () => {
    for (const method of ['GET', 'PUT'] as const) {
      const body =
        method === 'PUT' ? { channel: 'sms', purpose: 'service', granted: true } : undefined;
      const none = await call(method, null, body);
      expect(none.status).toBe(401);
      expect(((await none.json()) as ErrorBody).error.code).toBe('INAPP.UNAUTHORIZED');
      const forged = await call(
        method,
        await appToken('app-giulia', { secret: 'y'.repeat(40) }),
        body,
      );
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as ErrorBody).error.code).toBe('INAPP.TOKEN_INVALID');
      const stranger = await call(method, await appToken('app-nobody'), body);
      expect(stranger.status).toBe(404);
      expect(((await stranger.json()) as ErrorBody).error.code).toBe('IDENTITY.APP_USER_NOT_FOUND');
    }
  });

  it('GET shows the defaults on every channel and purpose before any decision', async () => {
    const res = await call('GET', await giuliaToken());
    expect(res.status).toBe(200);
    const { consents } = (await res.json()) as AppConsentsResponseV1;
    expect(consents).toHaveLength(5 * 3);
    expect(consents.every((c) => c.source === 'default' && c.updatedAt === null)).toBe(true);
    expect(find(consents, 'sms', 'marketing')!.granted).toBe(false);
    expect(find(consents, 'whatsapp', 'service')!.granted).toBe(true);
    expect(find(consents, 'inapp', 'fraud_alert')!.granted).toBe(true);
  });

  it('PUT refuses bad input with 400 and a reason', async () => {
    const token = await giuliaToken();
    const cases: Array<[unknown, RegExp]> = [
      [{ channel: 'fax', purpose: 'marketing', granted: false }, /channel/],
      [{ channel: 'sms', purpose: 'spam', granted: false }, /purpose/],
      [{ channel: 'sms', purpose: 'marketing', granted: 'no' }, /granted: must be true or false/],
      [
        { channel: 'sms', purpose: 'marketing', granted: false, appUserId: 'app-marco' },
        /appUserId/,
      ],
      [[], /body/],
    ];
    for (const [body, reason] of cases) {
      const res = await call('PUT', token, body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.code).toBe('INAPP.REQUEST_INVALID');
      expect(error.message).toMatch(reason);
    }
    const none = await call('PUT', token);
    expect(none.status).toBe(400);
  });

  it('opt-outs set in the app show with source app, reach the agent, and the router refuses those sends', async () => {
    const token = await giuliaToken();
    const put = async (channel: string, purpose: string, granted: boolean) => {
      const res = await call('PUT', token, { channel, purpose, granted });
      expect(res.status).toBe(200);
      return ((await res.json()) as AppConsentsResponseV1).consents;
    };
    // She opts in to marketing by SMS: an offer goes out.
    expect(find(await put('sms', 'marketing', true), 'sms', 'marketing')).toMatchObject({
      granted: true,
      source: 'app',
    });
    const offer = await reply({ channel: 'sms', purpose: 'marketing' });
    expect(offer.message.channel).toBe('sms');

    // Then out of marketing on SMS and of service messages on WhatsApp.
    const from = sys.events.length;
    await put('sms', 'marketing', false);
    await put('whatsapp', 'service', false);

    const res = await call('GET', token);
    expect(res.status).toBe(200);
    const { consents } = (await res.json()) as AppConsentsResponseV1;
    for (const [channel, purpose] of [
      ['sms', 'marketing'],
      ['whatsapp', 'service'],
    ] as const) {
      const c = find(consents, channel, purpose)!;
      expect(c).toMatchObject({ granted: false, source: 'app' });
      expect(Date.parse(c.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);
    }
    // Nothing else changed.
    expect(find(consents, 'sms', 'service')).toMatchObject({ granted: true, source: 'default' });
    expect(consents.filter((c) => c.source === 'app')).toHaveLength(2);

    // The agent sees it on her open conversation.
    const seen = await pollUntil(
      () => {
        const evs = sys.events
          .slice(from)
          .filter((e) => e.conversationId === giulia.conversation.id)
          .map((e) => e.event)
          .filter((e) => e.kind === 'consent.changed');
        return evs.length >= 2 && evs;
      },
      { what: 'two consent.changed events' },
    );
    expect(seen).toEqual(
      expect.arrayContaining([
        {
          kind: 'consent.changed',
          channel: 'sms',
          optedOut: true,
          purpose: 'marketing',
          source: 'app',
        },
        {
          kind: 'consent.changed',
          channel: 'whatsapp',
          optedOut: true,
          purpose: 'service',
          source: 'app',
        },
      ]),
    );

    // The router's consent check refuses marketing on SMS; service on SMS still goes.
    await expect(reply({ channel: 'sms', purpose: 'marketing' })).rejects.toMatchObject({
      code: 'CONSENT.REVOKED',
    });
    expect((await reply({ channel: 'sms', purpose: 'service' })).message.channel).toBe('sms');
    const consent = sys.router.app.get(ConsentService);
    const customerId = giulia.conversation.customer.id;
    expect(await consent.isAllowed(customerId, 'whatsapp', 'service')).toBe(false);
    expect(await consent.isAllowed(customerId, 'whatsapp', 'fraud_alert')).toBe(true);
  });
});
