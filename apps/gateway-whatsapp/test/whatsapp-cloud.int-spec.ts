import { createHmac } from 'node:crypto';
import { NatsConnection } from '@omnigate/bus';
import { HpkeOpener, sealedCardAad } from '@omnigate/crypto';
import { containsPan, dumpStreams, pollUntil } from '@omnigate/testing';
import { CloudGraphClient } from '../src/provider/cloud/cloud-graph.client';
import {
  ACCESS_TOKEN,
  APP_SECRET,
  OUR_NUMBER,
  PHONE_NUMBER_ID,
  VERIFY_TOKEN,
  sandboxPost,
  sentAtSandbox,
  startWhatsAppSystem,
} from './whatsapp-test-system';
import type { WhatsAppSystem } from './whatsapp-test-system';

const GIULIA = '+393471234567';

function notification(wamid: string, from: string, text: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '390212345678', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Giulia' }, wa_id: from }],
              messages: [
                { from, id: wamid, timestamp: '1763900000', type: 'text', text: { body: text } },
              ],
            },
          },
        ],
      },
    ],
  };
}

describe('gateway-whatsapp (Cloud API) against the sandbox’s fake Graph API', () => {
  let sys: WhatsAppSystem;

  beforeAll(async () => {
    sys = await startWhatsAppSystem({ provider: 'cloud' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const webhook = (body: string, signature?: string) =>
    fetch(`${sys.gatewayUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    });
  const sign = (body: string, secret = APP_SECRET) =>
    'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  const inject = async (body: Record<string, unknown>) => {
    const res = await sandboxPost(sys, '/sandbox/whatsapp/inbound', body);
    expect(res.status).toBe(200);
    return (await res.json()) as { wamid: string; status: number; body: string };
  };

  describe('the GET verification handshake', () => {
    const verify = (q: Record<string, string>) =>
      fetch(`${sys.gatewayUrl}/webhooks/whatsapp?${new URLSearchParams(q).toString()}`);

    it('echoes hub.challenge when the verify token matches', async () => {
      const res = await verify({
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('1158201444');
    });

    it.each([
      ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token' }],
      ['a wrong mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN }],
      ['no verify token', { 'hub.mode': 'subscribe' }],
    ])('refuses %s with 403 and does not echo', async (_what, q) => {
      const res = await verify({ ...q, 'hub.challenge': '42' });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('WHATSAPP.VERIFY_FORBIDDEN');
    });
  });

  describe('signed webhooks', () => {
    it.each([
      ['no signature', undefined],
      ['a signature made with another secret', 'other'],
      ['a signature of another body', 'tampered'],
      ['a malformed signature', 'sha1=abc'],
    ])('refuses %s with 403 and publishes nothing', async (_what, kind) => {
      const before = (await sys.inbound()).length;
      const body = JSON.stringify(
        notification('wamid.refused-' + String(kind), '393470000001', 'hi'),
      );
      const signature =
        kind === undefined
          ? undefined
          : kind === 'other'
            ? sign(body, 'another-app-secret')
            : kind === 'tampered'
              ? sign(body.replace('hi', 'ho'))
              : kind;
      const res = await webhook(body, signature);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(
        /^WHATSAPP\.SIGNATURE_(MISSING|INVALID)$/,
      );
      expect(await sys.inbound()).toHaveLength(before);
    });

    it('checks the signature over the raw bytes (whitespace the JSON parser would lose)', async () => {
      const body =
        '{ "object": "whatsapp_business_account",\n  "entry": ' +
        JSON.stringify(notification('wamid.raw-bytes', '393470000002', 'ciao').entry) +
        '}';
      const res = await webhook(body, sign(body));
      expect(res.status).toBe(200);
      await pollUntil(
        async () => (await sys.inbound()).find((m) => m.providerMessageId === 'wamid.raw-bytes'),
        { what: 'the raw-signed message on the bus' },
      );
    });

    it('answers 400 with the reason for a signed body that is not a WhatsApp notification', async () => {
      const body = JSON.stringify({ object: 'page', entry: [] });
      const res = await webhook(body, sign(body));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'WHATSAPP.PAYLOAD_MALFORMED',
      );
    });
  });

  it('publishes a customer message from the sandbox: E.164 address, name, card number redacted', async () => {
    const res = await inject({
      from: GIULIA,
      name: 'Giulia Rossi',
      text: 'La mia carta 4111 1111 1111 1111 è bloccata',
    });
    expect(res.status).toBe(200);
    const msg = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === res.wamid),
      { what: 'the inbound on the bus' },
    );
    expect(msg).toMatchObject({
      channel: 'whatsapp',
      from: { address: GIULIA, displayName: 'Giulia Rossi' },
      to: { address: OUR_NUMBER },
      kind: 'text',
      auth: { method: 'none', level: 'none' },
    });
    expect(msg.text).toMatch(/^La mia carta \[card visa \*\*\*\*1111 ref_[a-p]+\] è bloccata$/);
    expect(containsPan(JSON.stringify(msg), '4111 1111 1111 1111')).toBe(false);
    expect(msg.redactions).toHaveLength(1);
    // The number itself went to the vault, sealed under the reference, before the message.
    const ref = msg.redactions[0]!.token;
    const sealed = (await sys.sealedCards()).find((c) => c.ref === ref);
    expect(sealed).toMatchObject({ channel: 'whatsapp', brand: 'visa', last4: '1111' });
    const vault = HpkeOpener.fromConfig(sys.vault.privateKey);
    expect(await vault.openText(sealed!.box, sealedCardAad(ref))).toBe('4111111111111111');
  });

  it('a retried webhook (same wamid) yields one message', async () => {
    const first = await inject({ from: '+393475550001', text: 'primo', wamid: 'wamid.dup-1' });
    const again = await inject({ from: '+393475550001', text: 'primo', wamid: 'wamid.dup-1' });
    expect([first.status, again.status]).toEqual([200, 200]);
    await pollUntil(
      async () => (await sys.inbound()).some((m) => m.providerMessageId === 'wamid.dup-1'),
      { what: 'the message on the bus' },
    );
    const all = (await sys.inbound()).filter((m) => m.providerMessageId === 'wamid.dup-1');
    expect(all).toHaveLength(1);
    expect(
      await sys.metric('omnigate_gateway_inbound_published_total', {
        channel: 'whatsapp',
        duplicate: 'true',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('carries Meta’s send time (messages[].timestamp) as sentAt, only within [now − 7 d, now + 2 min]', async () => {
    const now = Math.floor(Date.now() / 1000);
    const late = await inject({
      from: '+393475550011',
      text: 'scritto offline',
      timestamp: now - 3 * 3600,
    });
    const old = await inject({
      from: '+393475550012',
      text: 'troppo vecchio',
      timestamp: now - 8 * 86_400,
    });
    const ahead = await inject({ from: '+393475550013', text: 'dal futuro', timestamp: now + 600 });
    const onBus = async (wamid: string) =>
      pollUntil(async () => (await sys.inbound()).find((m) => m.providerMessageId === wamid), {
        what: `${wamid} on the bus`,
      });
    expect((await onBus(late.wamid)).sentAt).toBe(new Date((now - 3 * 3600) * 1000).toISOString());
    // Out of bounds: published without it (the router times it on arrival), and counted.
    expect((await onBus(old.wamid)).sentAt).toBeUndefined();
    expect((await onBus(ahead.wamid)).sentAt).toBeUndefined();
    const ignored = (reason: string) =>
      sys.metric('omnigate_gateway_sent_at_ignored_total', { channel: 'whatsapp', reason });
    expect(await ignored('too_old')).toBeGreaterThanOrEqual(1);
    expect(await ignored('future')).toBe(1);
  });

  it('keeps media by reference (the media id) with the caption redacted, fetchable through the Graph media endpoint', async () => {
    const pdf = Buffer.from('%PDF-1.4 estratto conto');
    const res = await inject({
      from: '+393475550002',
      type: 'document',
      media: {
        mimeType: 'application/pdf',
        base64: pdf.toString('base64'),
        caption: 'Estratto con la carta 5555 5555 5555 4444',
        filename: 'estratto.pdf',
      },
    });
    const msg = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === res.wamid),
      { what: 'the document on the bus' },
    );
    expect(msg.attachments).toHaveLength(1);
    const [a] = msg.attachments;
    expect(a).toMatchObject({
      kind: 'document',
      mimeType: 'application/pdf',
      filename: 'estratto.pdf',
    });
    expect(a!.ref).toMatch(/^whatsapp-cloud:media\/\d+$/);
    expect(a!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(containsPan(JSON.stringify(msg), '5555 5555 5555 4444')).toBe(false);
    const client = new CloudGraphClient({
      graphBase: sys.sandboxUrl,
      version: 'v21.0',
      phoneNumberId: PHONE_NUMBER_ID,
      accessToken: ACCESS_TOKEN,
      timeoutMs: 5000,
    });
    const fetched = await client.downloadMedia(a!.ref.split('/').pop()!);
    expect(fetched).toEqual({ mimeType: 'application/pdf', bytes: pdf });
  });

  it.each([
    [
      '4111 1111 1111 1111 cvv 123 exp 12/27',
      ' cvv [security code removed] exp [expiry date removed]',
    ],
    ['4111 1111 1111 1111 123', ' [security code removed]'],
  ])(
    "the issue's %j: the card sealed with last 4 1111, the code and expiry never on the bus",
    async (typed, rest) => {
      const res = await inject({ from: '+393475550020', text: typed });
      const msg = await pollUntil(
        async () => (await sys.inbound()).find((m) => m.providerMessageId === res.wamid),
        { what: 'the message on the bus' },
      );
      expect(msg.text).toBe(`[card visa ****1111 ${msg.redactions[0]!.token}]${rest}`);
      const sealed = await pollUntil(
        async () => (await sys.sealedCards()).find((c) => c.ref === msg.redactions[0]!.token),
        { what: 'the sealed card' },
      );
      expect(sealed.last4).toBe('1111');
      expect(
        await HpkeOpener.fromConfig(sys.vault.privateKey).openText(
          sealed.box,
          sealedCardAad(sealed.ref),
        ),
      ).toBe('4111111111111111');
    },
  );

  it('lets no card data reach the bus from any field: name, caption, file name; CVV and expiry removed, last 4 right (issue 13)', async () => {
    const res = await inject({
      from: '+393475550021',
      name: 'Giulia 4111.1111.1111.1111',
      type: 'document',
      media: {
        mimeType: 'application/pdf',
        base64: Buffer.from('%PDF-1.4').toString('base64'),
        caption: 'carta ５５５５ ５５５５ ５５５５ ４４４４ cvv 123 exp 12/27, PIN 9876',
        filename: 'carta_3782_822463_10005_scad_09-28.pdf',
      },
    });
    const msg = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === res.wamid),
      { what: 'the document on the bus' },
    );
    expect(msg.text).toMatch(
      /^carta \[card mastercard \*\*\*\*4444 ref_[a-p]{20}\] cvv \[security code removed\] exp \[expiry date removed\], PIN \[PIN removed\]$/,
    );
    expect(msg.from.displayName).toMatch(/^Giulia \[card visa \*\*\*\*1111 ref_[a-p]{20}\]$/);
    expect(msg.attachments[0]!.filename).toMatch(
      /^carta_\[card amex \*\*\*\*0005 ref_[a-p]{20}\]_scad_\[expiry date removed\]\.pdf$/,
    );
    // Every reference anything shows was sealed to the vault, with the right last 4.
    const refs = [...new Set([...JSON.stringify(msg).matchAll(/ref_[a-p]{20}/g)].map((m) => m[0]))];
    expect(refs).toHaveLength(3);
    const vault = HpkeOpener.fromConfig(sys.vault.privateKey);
    const opened: string[] = [];
    for (const ref of refs) {
      const sealed = await pollUntil(
        async () => (await sys.sealedCards()).find((c) => c.ref === ref),
        { what: `the sealed card ${ref}` },
      );
      expect(await vault.openText(sealed.box, sealedCardAad(ref))).toMatch(
        new RegExp(`${sealed.last4}$`),
      );
      opened.push(await vault.openText(sealed.box, sealedCardAad(ref)));
    }
    expect(opened.sort()).toEqual(['378282246310005', '4111111111111111', '5555555555554444']);
    // What travelled on the bus: no number in any form, no code, no expiry, no PIN.
    const raw = (await dumpStreams(sys.nats.url, ['MSG_IN', 'CARDS'])).filter((m) =>
      m.includes(res.wamid),
    );
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toMatch(/５５５５|4111\.1111|3782_822463|cvv 123|12\/27|09-28|PIN 9876/);
    for (const pan of ['4111111111111111', '5555555555554444', '378282246310005']) {
      expect(containsPan(raw[0]!, pan)).toBe(false);
    }
    for (const kind of ['card', 'security_code', 'expiry', 'pin']) {
      expect(
        await sys.metric('omnigate_gateway_redactions_total', { channel: 'whatsapp', kind }),
      ).toBeGreaterThanOrEqual(1);
    }
  });

  it('sends within the window through the Graph API; statuses go queued → sent → delivered → read', async () => {
    const to = '+393475550003';
    await inject({ from: to, text: 'Ho bisogno di aiuto' });
    const msg = await sys.publishOutbound(to, 'Buongiorno, come possiamo aiutarla?');
    await sys.waitForStatus(msg.messageId, 'read');
    const wire = (await sentAtSandbox(sys)).filter((m) => m.to === '393475550003');
    expect(wire).toHaveLength(1);
    expect(wire[0]!.request).toMatchObject({
      messaging_product: 'whatsapp',
      to: '393475550003',
      type: 'text',
      text: { body: 'Buongiorno, come possiamo aiutarla?' },
      biz_opaque_callback_data: msg.messageId,
    });
    const statuses = await sys.statuses(msg.messageId);
    // Meta's "sent" webhook may overtake our own "queued" on the bus; the router keeps the furthest state.
    expect(statuses.map((s) => s.state).sort()).toEqual(['delivered', 'queued', 'read', 'sent']);
    for (const s of statuses) expect(s.providerMessageId).toBe(wire[0]!.id);
  });

  it('does not send a redelivered message twice, even from a fresh instance (ledger in KV)', async () => {
    const to = '+393475550011';
    await inject({ from: to, text: 'ciao' });
    const msg = await sys.publishOutbound(to, 'una volta sola');
    const queued = await sys.waitForStatus(msg.messageId, 'queued');
    await sys.restartGateway();
    expect(await sys.redeliver(msg)).toBe('already_sent');
    const wire = (await sentAtSandbox(sys)).filter((m) => m.to === '393475550011');
    expect(wire.map((m) => m.id)).toEqual([queued.providerMessageId]);
  });

  it('a customer who wrote STOP, or turned WhatsApp off in the app: vetoed, nothing at the Graph API', async () => {
    const stopped = '+393475550012';
    await inject({ from: stopped, text: 'STOP' });
    expect(await sys.veto(stopped)).toMatchObject({ kind: 'opted_out', source: 'keyword:STOP' });
    const first = await sys.publishOutbound(stopped, 'offerta');
    expect((await sys.waitForStatus(first.messageId, 'failed')).error).toEqual({
      code: 'WHATSAPP.OPTED_OUT',
      reason: 'Not sent: the customer replied STOP on this channel and has not opted back in since',
    });
    // The router's consent event (the app's settings), for a customer inside the window.
    const inApp = '+393475550013';
    await inject({ from: inApp, text: 'ciao' });
    await sys.publishConsent([inApp], [{ purpose: 'service', granted: false }], 'agent');
    await pollUntil(() => sys.veto(inApp), { what: 'the consent event in the opt-out list' });
    const second = await sys.publishOutbound(inApp, 'risposta');
    expect((await sys.waitForStatus(second.messageId, 'failed')).error?.code).toBe(
      'WHATSAPP.OPTED_OUT',
    );
    const wire = (await sentAtSandbox(sys)).filter((m) =>
      ['393475550012', '393475550013'].includes(m.to),
    );
    expect(wire).toEqual([]);
  });

  it('outside the 24-hour window: a failed status with the clear reason, nothing at the Graph API', async () => {
    const to = '+393475550004'; // never wrote
    const msg = await sys.publishOutbound(to, 'Le scriviamo per la sua pratica');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'WHATSAPP.OUTSIDE_24H_WINDOW',
      reason:
        "Not sent: outside WhatsApp's 24-hour window: the customer must write first, or send an approved template",
    });
    expect((await sentAtSandbox(sys)).filter((m) => m.to === '393475550004')).toHaveLength(0);
  });

  it('outside the window with a template: the template goes, with its language and parameters', async () => {
    const to = '+393475550005';
    const msg = await sys.publishOutbound(to, 'La sua pratica è pronta', {
      template: { name: 'pratica_pronta', language: 'it', params: ['Giulia', 'PR-1234'] },
    });
    await sys.waitForStatus(msg.messageId, 'delivered');
    const [wire] = (await sentAtSandbox(sys)).filter((m) => m.to === '393475550005');
    expect(wire!.request).toMatchObject({
      type: 'template',
      template: {
        name: 'pratica_pronta',
        language: { code: 'it' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Giulia' },
              { type: 'text', text: 'PR-1234' },
            ],
          },
        ],
      },
    });
  });

  describe('Graph errors', () => {
    const openWindow = async (to: string) => inject({ from: to, text: 'ciao' });

    it('131026 (undeliverable) at send: gives up with one failed status, no retry', async () => {
      const to = '+393475550006';
      await openWindow(to);
      expect(
        (await sandboxPost(sys, '/sandbox/whatsapp/failures', { code: 131026, to })).status,
      ).toBe(204);
      const msg = await sys.publishOutbound(to, 'x');
      const failed = await sys.waitForStatus(msg.messageId, 'failed');
      expect(failed.error?.code).toBe('WHATSAPP.131026');
      expect(failed.error?.reason).toMatch(
        /^The recipient cannot receive WhatsApp messages .*\(Meta 131026\)$/,
      );
      expect((await sentAtSandbox(sys)).filter((m) => m.to === '393475550006')).toHaveLength(0);
    });

    it('131047 (re-engagement) answered by Meta: failed with the 24-hour reason', async () => {
      const to = '+393475550007';
      await openWindow(to);
      await sandboxPost(sys, '/sandbox/whatsapp/failures', { code: 131047, to });
      const msg = await sys.publishOutbound(to, 'x');
      const failed = await sys.waitForStatus(msg.messageId, 'failed');
      expect(failed.error?.code).toBe('WHATSAPP.OUTSIDE_24H_WINDOW');
    });

    it('130429 (rate limit) twice: retried with backoff, then sent', async () => {
      const to = '+393475550008';
      await openWindow(to);
      await sandboxPost(sys, '/sandbox/whatsapp/failures', { code: 130429, to, count: 2 });
      const msg = await sys.publishOutbound(to, 'x');
      await sys.waitForStatus(msg.messageId, 'delivered');
      expect((await sys.statuses(msg.messageId)).some((s) => s.state === 'failed')).toBe(false);
      expect(
        await sys.metric('omnigate_gateway_sends_total', { channel: 'whatsapp', outcome: 'retry' }),
      ).toBeGreaterThanOrEqual(2);
    });

    it('a 131026 reported later in a failed status webhook: failed with Meta’s code', async () => {
      const to = '+393475550009';
      await openWindow(to);
      await sandboxPost(sys, '/sandbox/whatsapp/failures', { code: 131026, to, at: 'status' });
      const msg = await sys.publishOutbound(to, 'x');
      const failed = await sys.waitForStatus(msg.messageId, 'failed');
      expect(failed.error?.code).toBe('WHATSAPP.131026');
      expect((await sys.statuses(msg.messageId)).map((s) => s.state)).toEqual(['queued', 'failed']);
    });
  });

  it('answers 503 while NATS is down (so Meta retries) and publishes the retry once', async () => {
    const wamid = 'wamid.nats-down-1';
    await sys.nats.stop();
    try {
      const down = await inject({ from: '+393475550010', text: 'ci siete?', wamid });
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toMatchObject({ error: { code: 'BUS.UNAVAILABLE' } });
    } finally {
      await sys.nats.start();
    }
    await pollUntil(async () => (await fetch(`${sys.gatewayUrl}/health/ready`)).status === 200, {
      timeoutMs: 15_000,
      what: 'gateway ready again',
    });
    await pollUntil(() => sys.probe.get(NatsConnection).isConnected(), {
      what: 'probe reconnected',
    });
    const retry = await inject({ from: '+393475550010', text: 'ci siete?', wamid });
    expect(retry.status).toBe(200);
    expect((await sys.inbound()).filter((m) => m.providerMessageId === wamid)).toHaveLength(1);
  });

  it('logs no phone number, no message text and no card number', () => {
    const all = sys.logs.join('\n');
    expect(sys.logs.some((l) => l.includes('"msg":"inbound published"'))).toBe(true);
    expect(all).not.toContain('393471234567');
    expect(all).not.toContain('è bloccata');
    expect(containsPan(all, '4111 1111 1111 1111')).toBe(false);
  });

  it('the fake Graph API refuses a wrong bearer token with Graph’s error shape', async () => {
    const res = await fetch(`${sys.sandboxUrl}/v21.0/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '393471234567',
        type: 'text',
        text: { body: 'x' },
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { type: 'OAuthException', code: 190, fbtrace_id: expect.any(String) as unknown },
    });
  });
});
