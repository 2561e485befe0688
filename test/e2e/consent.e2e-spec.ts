import type { ConversationSummary, MessageView } from '@omnigate/contracts';
import type { RecipientEntry } from '@omnigate/gateway-kit';
import { dumpStreams, kvEntry, pollUntil } from '@omnigate/testing';
import type { Socket } from 'socket.io-client';
import { agentLogin, appToken, connect, injectSms, json, startSystem } from './system.harness';
import type { System } from './system.harness';

// database-incidental: a flow across processes; the consent rows it writes run on both databases in
// libs/store/test/consents.int-spec.ts and the router and in-app consent tests

const GIULIA = { phone: '+393471234567' };

interface Consents {
  customerId: string;
  consents: Array<{
    channel: string;
    purpose: string;
    granted: boolean;
    source: string;
    updatedAt: string | null;
  }>;
}
interface ErrorBody {
  error: { code: string; message: string };
}

describe('consent per channel and purpose: STOP/START on SMS, the agent console API', () => {
  let sys: System;
  let call: (
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ) => Promise<Response>;

  beforeAll(async () => {
    sys = await startSystem();
    const token = await agentLogin(sys);
    call = (method, path, body, t = token) =>
      fetch(`${sys.urls.console}${path}`, {
        method,
        headers: {
          ...(t ? { authorization: `Bearer ${t}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
  });
  const sockets: Socket[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sys?.stop();
  });

  const consentOf = (c: Consents, channel: string, purpose: string) =>
    c.consents.find((x) => x.channel === channel && x.purpose === purpose)!;
  const getConsents = async (customerId: string) =>
    json<Consents>(await call('GET', `/api/customers/${customerId}/consents`));
  const reply = (conversationId: string, text: string, purpose?: string, channel = 'sms') =>
    call('POST', `/api/conversations/${conversationId}/messages`, {
      text,
      channel,
      ...(purpose ? { purpose } : {}),
    });
  const onMsgOut = async () => dumpStreams(sys.nats.url, ['MSG_OUT']);

  let conversationId = '';
  let customerId = '';

  it('STOP revokes service and marketing on SMS: the agent gets CONSENT.REVOKED, nothing goes out', async () => {
    await injectSms(sys, GIULIA.phone, 'Buongiorno, ho un problema con un bonifico');
    const conv = await pollUntil(
      async () => {
        const list = await json<ConversationSummary[]>(await call('GET', '/api/conversations'));
        if (!Array.isArray(list)) throw new Error(JSON.stringify(list));
        return list.find((c) => c.lastChannel === 'sms');
      },
      { what: 'the SMS conversation on the console' },
    );
    conversationId = conv.id;
    customerId = conv.customer.id;

    // Before: defaults. Service allowed, marketing needs an opt-in.
    const before = await getConsents(customerId);
    expect(before.consents).toHaveLength(15);
    expect(consentOf(before, 'sms', 'service')).toMatchObject({ granted: true, source: 'default' });
    expect(consentOf(before, 'sms', 'marketing')).toMatchObject({
      granted: false,
      source: 'default',
    });
    expect((await reply(conversationId, 'Ciao Giulia, controllo subito.')).status).toBe(201);

    await injectSms(sys, GIULIA.phone, 'STOP');
    const after = await pollUntil(
      async () => {
        const c = await getConsents(customerId);
        return consentOf(c, 'sms', 'service').source === 'keyword' ? c : undefined;
      },
      { what: 'the STOP recorded as consent' },
    );
    for (const purpose of ['service', 'fraud_alert', 'marketing']) {
      expect(consentOf(after, 'sms', purpose)).toMatchObject({ granted: false, source: 'keyword' });
    }
    // Other channels keep their defaults.
    expect(consentOf(after, 'inapp', 'service')).toMatchObject({
      granted: true,
      source: 'default',
    });

    const refused = await reply(conversationId, 'Risposta dopo lo STOP');
    expect(refused.status).toBe(409);
    const body = await json<ErrorBody>(refused);
    expect(body.error.code).toBe('CONSENT.REVOKED');
    expect(body.error.message).toMatch(/service messages on sms/);
    const promo = await reply(conversationId, 'Offerta carta oro dopo lo STOP', 'marketing');
    expect(promo.status).toBe(409);
    expect((await json<ErrorBody>(promo)).error.code).toBe('CONSENT.REVOKED');

    const out = await onMsgOut();
    expect(out.some((m) => m.includes('Ciao Giulia, controllo subito.'))).toBe(true);
    expect(out.filter((m) => m.includes('dopo lo STOP'))).toEqual([]);
    // Not stored either: the timeline has no trace of the refused replies.
    const timeline = await json<{ messages: MessageView[] }>(
      await call('GET', `/api/conversations/${conversationId}`),
    );
    expect(timeline.messages.filter((m) => m.text.includes('dopo lo STOP'))).toEqual([]);
  });

  it('START restores service (not marketing); an agent records a marketing opt-in', async () => {
    await injectSms(sys, GIULIA.phone, 'START');
    const after = await pollUntil(
      async () => {
        const c = await getConsents(customerId);
        return consentOf(c, 'sms', 'service').granted ? c : undefined;
      },
      { what: 'the START recorded as consent' },
    );
    expect(consentOf(after, 'sms', 'fraud_alert')).toMatchObject({
      granted: true,
      source: 'keyword',
    });
    expect(consentOf(after, 'sms', 'marketing')).toMatchObject({
      granted: false,
      source: 'keyword',
    });

    const ok = await reply(conversationId, 'Bentornata, Giulia.');
    expect(ok.status).toBe(201);
    const promo = await reply(conversationId, 'Offerta carta oro', 'marketing');
    expect(promo.status).toBe(409);

    const put = await call('PUT', `/api/customers/${customerId}/consents`, {
      consents: [{ channel: 'sms', purpose: 'marketing', granted: true }],
    });
    expect(put.status).toBe(200);
    const saved = await json<Consents>(put);
    expect(consentOf(saved, 'sms', 'marketing')).toMatchObject({ granted: true, source: 'agent' });
    expect(consentOf(saved, 'sms', 'marketing').updatedAt).toEqual(expect.any(String));
    // The round trip: GET gives back what PUT stored.
    expect(await getConsents(customerId)).toEqual(saved);
    // The SMS gateway keeps its own list (no database): the agent's decision reached it.
    const onEdge = await pollUntil(
      async () => {
        const e = await kvEntry<RecipientEntry>(sys.nats.url, 'sms_vetoes', GIULIA.phone);
        return e?.consent.marketing?.source === 'agent' && e;
      },
      { what: "the agent's opt-in in the SMS gateway's list" },
    );
    expect(onEdge.consent).toMatchObject({
      service: { granted: true },
      fraud_alert: { granted: true },
      marketing: { granted: true, source: 'agent' },
    });

    const promo2 = await reply(conversationId, 'Offerta carta oro, con consenso', 'marketing');
    expect(promo2.status).toBe(201);
    // ...so the gateway sends it (it would veto a marketing SMS after the STOP otherwise).
    const { message: sentPromo } = await json<{ message: MessageView }>(promo2);
    await pollUntil(
      async () => {
        const t = await json<{ messages: MessageView[] }>(
          await call('GET', `/api/conversations/${conversationId}`),
        );
        return t.messages.find((m) => m.id === sentPromo.id)?.status === 'delivered';
      },
      { what: 'the marketing SMS delivered', timeoutMs: 15_000 },
    );
    const wire = await pollUntil(
      async () => (await onMsgOut()).find((m) => m.includes('Offerta carta oro, con consenso')),
      { what: 'the marketing message on msg.out' },
    );
    expect(JSON.parse(wire.slice(wire.indexOf(' ') + 1))).toMatchObject({ purpose: 'marketing' });
    expect((await onMsgOut()).some((m) => m.includes('Bentornata, Giulia.'))).toBe(true);
  });

  it('refuses bad consent requests with 4xx and a reason', async () => {
    const path = `/api/customers/${customerId}/consents`;
    const bad = async (body: unknown, p = path) => {
      const res = await call('PUT', p, body);
      return { status: res.status, body: await json<ErrorBody>(res) };
    };
    const empty = await bad({ consents: [] });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID' } } });
    expect(empty.body.error.message).toMatch(/at least one consent/);
    const channel = await bad({
      consents: [{ channel: 'fax', purpose: 'service', granted: true }],
    });
    expect(channel.status).toBe(400);
    expect(channel.body.error.message).toMatch(/consents\.0\.channel/);
    const granted = await bad({
      consents: [{ channel: 'sms', purpose: 'service', granted: 'yes' }],
    });
    expect(granted.body.error.message).toMatch(/true or false/);
    const twice = await bad({
      consents: [
        { channel: 'sms', purpose: 'service', granted: true },
        { channel: 'sms', purpose: 'service', granted: false },
      ],
    });
    expect(twice.body.error.message).toMatch(/sms:service is given twice/);
    const extra = await bad({ consents: [{ channel: 'sms', purpose: 'ads', granted: true }] });
    expect(extra.status).toBe(400);
    expect(
      (
        await bad(
          { consents: [{ channel: 'sms', purpose: 'service', granted: false }] },
          '/api/customers/not-a-uuid/consents',
        )
      ).body.error.message,
    ).toMatch(/customer id/);
    const unknown = await bad(
      { consents: [{ channel: 'sms', purpose: 'service', granted: false }] },
      '/api/customers/00000000-0000-4000-8000-000000000000/consents',
    );
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: 'CONSOLE.CUSTOMER_NOT_FOUND' } },
    });
    expect((await call('GET', path, undefined, null)).status).toBe(401);
    // Nothing changed by the refused requests.
    expect(consentOf(await getConsents(customerId), 'sms', 'service')).toMatchObject({
      granted: true,
      source: 'keyword',
    });
  });

  it('in the app: BASTA revokes in-app only, with a bilingual confirmation; START brings it back', async () => {
    const app = await connect(sys.urls.inapp, await appToken(sys, 'app-giulia'));
    sockets.push(app);
    const pushed: MessageView[] = [];
    app.on('message', (m: MessageView, ack?: () => void) => {
      pushed.push(m);
      ack?.();
    });
    const say = async (clientMsgId: string, text: string) =>
      expect(await app.timeout(5000).emitWithAck('message', { clientMsgId, text })).toMatchObject({
        ok: true,
      });

    await say('c-basta', 'Basta!');
    const confirmation = await pollUntil(
      () => pushed.find((m) => m.author.kind === 'system' && /Non riceverai più/.test(m.text)),
      { what: 'the opt-out confirmation in the app' },
    );
    expect(confirmation.text).toMatch(/no longer receive messages/);
    const c = await getConsents(customerId);
    expect(consentOf(c, 'inapp', 'service')).toMatchObject({ granted: false, source: 'keyword' });
    expect(consentOf(c, 'sms', 'service')).toMatchObject({ granted: true });

    const refused = await reply(conversationId, 'In app dopo BASTA', undefined, 'inapp');
    expect(refused.status).toBe(409);
    expect((await json<ErrorBody>(refused)).error.code).toBe('CONSENT.REVOKED');
    expect((await reply(conversationId, 'Via SMS va bene', undefined, 'sms')).status).toBe(201);

    await say('c-start', 'start');
    await pollUntil(
      () => pushed.find((m) => m.author.kind === 'system' && /riattivati/.test(m.text)),
      { what: 'the opt-in confirmation in the app' },
    );
    const back = await reply(conversationId, 'Di nuovo in app', undefined, 'inapp');
    expect(back.status).toBe(201);
    await pollUntil(() => pushed.find((m) => m.text === 'Di nuovo in app'), {
      what: 'the reply in the app',
    });
    expect(pushed.filter((m) => m.text === 'In app dopo BASTA')).toEqual([]);

    // A START that changes nothing (already allowed) is not confirmed again. The router handles one
    // address's messages in order: once the next message is stored, the START was handled.
    await say('c-start-2', 'START');
    await say('c-after', 'grazie');
    await pollUntil(
      async () => {
        const t = await json<{ messages: MessageView[] }>(
          await call('GET', `/api/conversations/${conversationId}`),
        );
        return t.messages.some((m) => m.text === 'grazie') ? t : undefined;
      },
      { what: 'the message after the second START' },
    );
    const timeline = await json<{ messages: MessageView[] }>(
      await call('GET', `/api/conversations/${conversationId}`),
    );
    expect(timeline.messages.filter((m) => /riattivati/.test(m.text))).toHaveLength(1);
    expect(timeline.messages.filter((m) => /Non riceverai più/.test(m.text))).toHaveLength(1);
  });
});
