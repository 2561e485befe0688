import { freePort } from '@omnigate/testing';
import type { RunningHttpApp } from '@omnigate/kit';
import { bootstrap } from '../src/bootstrap';
import { startWebhookReceiver } from './webhook-receiver';
import type { WebhookReceiver } from './webhook-receiver';

const OUR_NUMBER = '+390212345678';
const GIULIA = { id: 'cust-1001', phone: '+393471234567', appUserId: 'app-giulia' };

interface ErrorBody {
  error: { code: string; message: string };
}

async function post(base: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${base}/simulator/api/send`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ErrorBody & Record<string, unknown> };
}

describe('customer simulator: API edge, configuration, page (sandbox alone)', () => {
  let sandbox: RunningHttpApp;
  let bare: RunningHttpApp;
  let refusing: WebhookReceiver;

  beforeAll(async () => {
    // The SMS webhook answers 403 (a gateway refusing the signature); WhatsApp's has no listener.
    refusing = await startWebhookReceiver(() => ({ status: 403, body: 'forbidden' }));
    const closedPort = await freePort();
    sandbox = await bootstrap({
      SANDBOX_PORT: '0',
      LOG_LEVEL: 'warn',
      SANDBOX_SMTP_PORT: '0',
      SANDBOX_TWILIO_WEBHOOK_URL: `${refusing.url}/webhooks/twilio/sms`,
      SANDBOX_WHATSAPP_WEBHOOK_URL: `http://127.0.0.1:${closedPort}/webhooks/whatsapp`,
      SANDBOX_EMAIL_GATEWAY_SMTP: `smtp://127.0.0.1:${closedPort}`,
      SANDBOX_SIMULATOR_SMS_TO: OUR_NUMBER,
      SANDBOX_SIMULATOR_EMAIL_TO: 'support@bank.example',
      SANDBOX_SIMULATOR_INAPP_URL: `http://127.0.0.1:${closedPort}`,
      SANDBOX_SIMULATOR_INAPP_JWT_SECRET: 'x'.repeat(32),
    });
    // No simulator keys at all: SMS, email and in-app are not configured.
    bare = await bootstrap({ SANDBOX_PORT: '0', LOG_LEVEL: 'warn', SANDBOX_SMTP_PORT: '0' });
  });
  afterAll(async () => {
    await sandbox?.close();
    await bare?.close();
    await refusing?.close();
  });

  it('lists the seeded customers with their address on every channel', async () => {
    const res = await fetch(`${sandbox.url}/simulator/api/personas`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      personas: Array<{ id: string; name: string; addresses: Record<string, string> }>;
      channels: Array<{ channel: string; configured: boolean }>;
    };
    expect(body.personas[0]).toEqual({
      id: GIULIA.id,
      name: 'Giulia Rossi',
      language: 'it',
      addresses: {
        sms: GIULIA.phone,
        whatsapp: GIULIA.phone,
        telegram: '81234567',
        email: 'giulia.rossi@example.it',
        inapp: GIULIA.appUserId,
      },
    });
    expect(body.personas.map((p) => p.name)).toContain('Oliver Bennett');
    expect(body.channels.every((c) => c.configured)).toBe(true);
  });

  it.each([
    [{ channel: 'fax', persona: GIULIA.id, text: 'hi' }, /channel: must be one of sms, whatsapp/],
    [{ channel: 'sms', persona: GIULIA.id, text: '   ' }, /text: must not be empty/],
    [{ channel: 'sms', persona: GIULIA.id }, /text: must not be empty/],
    [
      { channel: 'sms', persona: 'cust-9999', text: 'hi' },
      /unknown persona "cust-9999"; known: cust-1001/,
    ],
    [{ channel: 'sms', text: 'hi' }, /give persona or address/],
    [{ channel: 'sms', address: '3471234567', text: 'hi' }, /address: must be an E.164/],
    [{ channel: 'telegram', address: 'giulia', text: 'hi' }, /must be a Telegram user id/],
    [{ channel: 'sms', persona: GIULIA.id, text: 'x'.repeat(4097) }, /at most 4096/],
    [
      { channel: 'sms', persona: GIULIA.id, text: 'hi', shareContact: true },
      /telegram channel only/,
    ],
    [{ channel: 'sms', persona: GIULIA.id, text: 'hi', extra: 1 }, /Unrecognized key/],
    [
      { channel: 'sms', persona: GIULIA.id, text: 'hi', sentAt: '2026-12-01T10:00:00Z' },
      /sentAt: is for the whatsapp and telegram channels only/,
    ],
    [{ channel: 'whatsapp', persona: GIULIA.id, text: 'hi', sentAt: 'ieri' }, /sentAt: /],
  ])('refuses %j with 400 and the reason', async (body, reason) => {
    const r = await post(sandbox.url, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('SIMULATOR.REQUEST_INVALID');
    expect(r.body.error.message).toMatch(reason);
  });

  it('refuses a body that is not JSON (a cross-site form post)', async () => {
    const r = await post(
      sandbox.url,
      'channel=sms&persona=cust-1001&text=hi',
      'application/x-www-form-urlencoded',
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/JSON body/);
  });

  it('refuses a bad inbox query', async () => {
    for (const [q, reason] of [
      ['', /give persona/],
      ['?persona=nobody', /unknown persona/],
      ['?channel=pigeon&persona=cust-1001', /channel: must be one of/],
      ['?channel=sms', /give persona or address/],
    ] as const) {
      const res = await fetch(`${sandbox.url}/simulator/api/inbox${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(reason);
    }
  });

  it('answers 502 with what the gateway said when it refuses the message', async () => {
    const r = await post(sandbox.url, { channel: 'sms', persona: GIULIA.id, text: 'Ciao' });
    expect(r.status).toBe(502);
    expect(r.body.error).toEqual({
      code: 'SIMULATOR.GATEWAY_REFUSED',
      message: 'the sms gateway refused the message: its webhook answered HTTP 403',
    });
    // It went over the wire as Twilio sends it: signed form, From the customer, To our number.
    expect(refusing.received.at(-1)).toMatchObject({
      signature: expect.any(String) as unknown,
      params: expect.objectContaining({
        From: GIULIA.phone,
        To: OUR_NUMBER,
        Body: 'Ciao',
      }) as unknown,
    });
  });

  it.each([
    ['whatsapp', /the whatsapp gateway did not answer/],
    ['email', /the email gateway did not answer: its SMTP listener is unreachable/],
    ['inapp', /the inapp gateway did not answer: cannot connect/],
  ])('answers 503 when the %s gateway does not answer', async (channel, reason) => {
    const r = await post(sandbox.url, { channel, persona: GIULIA.id, text: 'Ciao' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('SIMULATOR.GATEWAY_UNAVAILABLE');
    expect(r.body.error.message).toMatch(reason);
  });

  it('queues a Telegram message for getUpdates when the bot has no webhook yet', async () => {
    const r = await post(sandbox.url, { channel: 'telegram', persona: GIULIA.id, text: 'Ciao' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ channel: 'telegram', address: '81234567', via: 'getUpdates' });
  });

  it('stamps a Telegram message with the send time asked for (the provider’s date, whole seconds)', async () => {
    const sentAt = new Date(Date.now() - 20 * 3_600_000 + 123);
    const r = await post(sandbox.url, {
      channel: 'telegram',
      persona: GIULIA.id,
      text: 'Scritto ieri',
      sentAt: sentAt.toISOString(),
    });
    expect(r.status).toBe(202);
    const whole = new Date(Math.floor(sentAt.getTime() / 1000) * 1000).toISOString();
    expect(r.body).toMatchObject({ via: 'getUpdates', sentAt: whole });
    // What a bot polling the Bot API gets: the update with that `date` (unix seconds).
    const token = '123456789:sandbox-telegram-bot-token-000000000';
    const res = await fetch(`${sandbox.url}/bot${token}/getUpdates`, { method: 'POST' });
    const updates = (await res.json()) as {
      result: Array<{ message?: { date: number; text?: string } }>;
    };
    const mine = updates.result.find((u) => u.message?.text === 'Scritto ieri');
    expect(mine?.message?.date).toBe(Date.parse(whole) / 1000);
  });

  it.each([
    ['sms', 'SANDBOX_SIMULATOR_SMS_TO'],
    ['email', 'SANDBOX_SIMULATOR_EMAIL_TO'],
    ['inapp', 'SANDBOX_SIMULATOR_INAPP_URL and SANDBOX_SIMULATOR_INAPP_JWT_SECRET'],
  ])('answers 503 naming the missing key when %s is not configured', async (channel, keys) => {
    const r = await post(bare.url, { channel, persona: GIULIA.id, text: 'Ciao' });
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({
      code: 'SIMULATOR.CHANNEL_NOT_CONFIGURED',
      message: `${channel} is not configured in the simulator: set ${keys}`,
    });
    const inbox = await fetch(
      `${bare.url}/simulator/api/inbox?channel=${channel}&persona=${GIULIA.id}`,
    );
    expect(inbox.status).toBe(503);
  });

  it('still shows a persona’s configured channels, and says which are not', async () => {
    const res = await fetch(`${bare.url}/simulator/api/inbox?persona=${GIULIA.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: unknown[]; problems: unknown[] };
    expect(body.messages).toEqual([]);
    expect(body.problems).toEqual([
      { channel: 'sms', problem: 'not configured: set SANDBOX_SIMULATOR_SMS_TO' },
      { channel: 'email', problem: 'not configured: set SANDBOX_SIMULATOR_EMAIL_TO' },
      {
        channel: 'inapp',
        problem:
          'not configured: set SANDBOX_SIMULATOR_INAPP_URL and SANDBOX_SIMULATOR_INAPP_JWT_SECRET',
      },
    ]);
  });

  it('serves the page with a strict CSP, its script from a same-origin file, the test ids', async () => {
    const res = await fetch(`${sandbox.url}/simulator`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toMatch(/<script src="\/simulator\/simulator\.js" defer><\/script>/);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son[a-z]+="/);
    for (const id of [
      'persona-select',
      'channel-select',
      'message-input',
      'send-button',
      'inbox',
    ]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    const js = await fetch(`${sandbox.url}/simulator/simulator.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const script = await js.text();
    expect(script).toContain("'inbox-message'");
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect((await fetch(`${sandbox.url}/simulator/simulator.css`)).status).toBe(200);
  });
});
