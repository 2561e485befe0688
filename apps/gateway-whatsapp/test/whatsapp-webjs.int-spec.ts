import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '@omnigate/testing';
import { WEBJS_CLIENT_CTOR } from '../src/provider/webjs/webjs-client.port';
import { FakeWebjsClient, LINKED_USER, rawIncoming } from './fake-webjs-client';
import { startWhatsAppSystem } from './whatsapp-test-system';
import type { WhatsAppSystem } from './whatsapp-test-system';

interface LinkView {
  state: string;
  waState: string | null;
  qr: string | null;
  reconnects: number;
}

describe('gateway-whatsapp (whatsapp-web.js linked device) with a faithful fake Client', () => {
  let sys: WhatsAppSystem;
  const dataPath = mkdtempSync(join(tmpdir(), 'og-wwebjs-'));

  beforeAll(async () => {
    FakeWebjsClient.reset();
    sys = await startWhatsAppSystem({
      provider: 'webjs',
      withSandbox: false,
      env: { WHATSAPP_WEBJS_DATA_PATH: dataPath, WHATSAPP_WEBJS_RECONNECT_MS: '50,100' },
      overrides: [{ provide: WEBJS_CLIENT_CTOR, useValue: FakeWebjsClient }],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    rmSync(dataPath, { recursive: true, force: true });
  });

  const link = async () =>
    (await (await fetch(`${sys.gatewayUrl}/whatsapp/link`)).json()) as LinkView;
  const health = async () => {
    const res = await fetch(`${sys.gatewayUrl}/health`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean> } };
  };

  it('builds the Client with LocalAuth under the data folder and Debian chromium without sandbox', () => {
    const opts = FakeWebjsClient.current.options;
    expect(opts.authStrategy).toMatchObject({ clientId: 'omnigate', dataPath });
    expect(opts.puppeteer).toMatchObject({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });

  it('shows the QR to the operator (no personal data in the log) and is not healthy until linked', async () => {
    const view = await pollUntil(
      async () => {
        const v = await link();
        return v.state === 'qr' && v;
      },
      { what: 'the QR state' },
    );
    expect(view.qr).toMatch(/^2@/);
    expect((await health()).status).toBe(503);
    expect((await health()).body.checks['whatsapp-webjs']).toBe(false);
    expect(sys.logs.some((l) => l.includes('scan the QR'))).toBe(true);
    expect(sys.logs.some((l) => l.includes(view.qr!))).toBe(false);
  });

  it('is healthy once the phone scanned the QR', async () => {
    FakeWebjsClient.current.scan();
    await pollUntil(async () => (await health()).status === 200, { what: '/health 200' });
    expect(await link()).toMatchObject({ state: 'ready', waState: 'CONNECTED', qr: null });
    expect(await sys.metric('omnigate_whatsapp_webjs_connection_state', { state: 'ready' })).toBe(
      1,
    );
  });

  it('publishes a customer message (msg.from → E.164, id._serialized as dedupe key), ignoring own, status and group messages', async () => {
    const client = FakeWebjsClient.current;
    const before = (await sys.inbound()).length;
    client.receive(
      rawIncoming('393471234567', 'ignored: mine', {
        id: { fromMe: true, remote: 'x@c.us', id: 'A1', _serialized: 'true_x@c.us_A1' },
      }),
    );
    client.receive(
      rawIncoming('393471234567', 'ignored: story', { from: 'status@broadcast', isStatusV3: true }),
    );
    client.receive(
      rawIncoming('393471234567', 'ignored: group', {
        from: '120363042@g.us',
        author: '393471234567@c.us',
      }),
    );
    const msg = client.receive(
      rawIncoming('393471234567', 'Ciao, carta 4111 1111 1111 1111 bloccata'),
    );
    client.emit('message', msg); // the same message again: one on the bus
    const published = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === msg.id._serialized),
      { what: 'the web.js message on the bus' },
    );
    expect(published).toMatchObject({
      channel: 'whatsapp',
      from: { address: '+393471234567', displayName: 'Giulia' },
      to: { address: `+${LINKED_USER}` },
      meta: { provider: 'webjs', type: 'chat' },
    });
    expect(published.text).toMatch(/^Ciao, carta \[card visa \*\*\*\*1111 ref_[a-p]+\] bloccata$/);
    const after = await sys.inbound();
    expect(after).toHaveLength(before + 1);
    // The web.js id embeds the chat (a phone number): never in the logs.
    expect(sys.logs.some((l) => l.includes('393471234567'))).toBe(false);
  });

  it('keeps media by reference', async () => {
    const msg = FakeWebjsClient.current.receive(
      rawIncoming('393471234567', '', {
        type: 'image',
        caption: 'foto',
        directPath: '/v/t62.7118-24/abc',
        mimetype: 'image/jpeg',
      }),
    );
    const published = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === msg.id._serialized),
      { what: 'the image on the bus' },
    );
    expect(published.text).toBe('foto');
    expect(published.attachments).toEqual([
      {
        kind: 'image',
        mimeType: 'image/jpeg',
        size: 0,
        sha256: null,
        ref: `whatsapp-webjs:media/${msg.id._serialized}`,
      },
    ]);
  });

  it('sends with client.sendMessage and turns message_ack into sent → delivered → read', async () => {
    const out = await sys.publishOutbound('+393471234567', 'Buongiorno Giulia');
    await sys.waitForStatus(out.messageId, 'read');
    expect(FakeWebjsClient.current.sent).toContainEqual({
      chatId: '393471234567@c.us',
      content: 'Buongiorno Giulia',
    });
    const states = (await sys.statuses(out.messageId)).map((s) => s.state).sort();
    expect(states).toEqual(['delivered', 'queued', 'read', 'sent']);
  });

  it('ACK_ERROR → a failed status with a code', async () => {
    FakeWebjsClient.failNextSends = 1;
    const out = await sys.publishOutbound('+393471234568', 'x');
    const failed = await sys.waitForStatus(out.messageId, 'failed');
    expect(failed.error?.code).toBe('WHATSAPP.WEBJS_ACK_ERROR');
  });

  it('a disconnect is not swallowed: health down, metric, then a reconnect with the saved session', async () => {
    const first = FakeWebjsClient.current;
    const reconnectsBefore = await sys.metric('omnigate_whatsapp_webjs_reconnects_total');
    first.disconnect();
    await pollUntil(async () => (await health()).status === 503, { what: '/health 503' });
    expect(first.destroyed).toBe(true);
    expect(
      await sys.metric('omnigate_whatsapp_webjs_connection_state', { state: 'disconnected' }),
    ).toBe(1);
    expect(await sys.metric('omnigate_whatsapp_webjs_reconnects_total')).toBe(reconnectsBefore + 1);
    expect(sys.logs.some((l) => l.includes('WHATSAPP.WEBJS_DISCONNECTED'))).toBe(true);
    // The backoff elapses, a new Client starts from the LocalAuth session: ready without a scan.
    await pollUntil(
      async () => FakeWebjsClient.current !== first && (await health()).status === 200,
      {
        what: 'the reconnected device',
      },
    );
    expect(await link()).toMatchObject({ state: 'ready', reconnects: 1 });
  });
});

describe('gateway-whatsapp (whatsapp-web.js) linking with a pairing code', () => {
  let sys: WhatsAppSystem;
  const dataPath = mkdtempSync(join(tmpdir(), 'og-wwebjs-'));

  beforeAll(async () => {
    FakeWebjsClient.reset();
    sys = await startWhatsAppSystem({
      provider: 'webjs',
      withSandbox: false,
      env: { WHATSAPP_WEBJS_DATA_PATH: dataPath, WHATSAPP_WEBJS_PAIRING_NUMBER: '+390212345678' },
      overrides: [{ provide: WEBJS_CLIENT_CTOR, useValue: FakeWebjsClient }],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    rmSync(dataPath, { recursive: true, force: true });
  });

  it('asks WhatsApp for a pairing code for our number and shows it to the operator', async () => {
    expect(FakeWebjsClient.current.options.pairWithPhoneNumber).toEqual({
      phoneNumber: '390212345678',
    });
    const view = await pollUntil(
      async () => {
        const v = (await (await fetch(`${sys.gatewayUrl}/whatsapp/link`)).json()) as {
          state: string;
          pairingCode: string | null;
        };
        return v.state === 'pairing_code' && v;
      },
      { what: 'the pairing code' },
    );
    expect(view.pairingCode).toBe('K7QX-2M9P');
    expect(sys.logs.some((l) => l.includes('K7QX-2M9P'))).toBe(false);
  });
});
