import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { NatsConnection } from '@omnigate/bus';
import { sealedCardAad, HpkeOpener } from '@omnigate/crypto';
import { containsPan, dumpStreams, pollUntil, streamCount } from '@omnigate/testing';
import { AUTH_TOKEN, injectSms, OUR_NUMBER, postSigned, startSmsSystem } from './sms-test-system';
import type { SmsSystem } from './sms-test-system';

const CUSTOMER = '+393471234567';
const sid = () => 'SM' + randomBytes(16).toString('hex');
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** A Twilio inbound form as the gateway's tests forge it (the sandbox builds the real ones). */
function form(over: Record<string, string> = {}): Record<string, string> {
  return {
    MessageSid: sid(),
    SmsSid: 'x',
    AccountSid: 'AC' + '5e'.repeat(16),
    From: CUSTOMER,
    To: OUR_NUMBER,
    Body: 'ciao',
    NumMedia: '0',
    ApiVersion: '2010-04-01',
    ...over,
  };
}

describe('gateway-sms inbound: Twilio webhook → msg.in.v1.sms', () => {
  let sys: SmsSystem;

  beforeAll(async () => {
    sys = await startSmsSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('publishes a signed SMS with the sender in E.164 and answers empty TwiML after the ack', async () => {
    const res = await injectSms(sys, '347 123 4567', 'Il mio bonifico è bloccato');
    expect(res).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(res.contentType).toMatch(/^text\/xml/);
    const msgs = await sys.inbound();
    expect(msgs.find((m) => m.providerMessageId === res.messageSid)).toMatchObject({
      type: 'omnigate.msg.inbound.v1',
      version: 1,
      channel: 'sms',
      from: { address: CUSTOMER },
      to: { address: OUR_NUMBER },
      kind: 'text',
      text: 'Il mio bonifico è bloccato',
      auth: { method: 'none', level: 'none' },
    });
  });

  it('refuses a forged signature with 403 and publishes nothing', async () => {
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const failures = await sys.metric('omnigate_sms_signature_failures_total', {
      reason: 'invalid',
    });
    const forged = await postSigned(sys, '/webhooks/twilio/sms', form(), 'not-the-auth-token');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({
      error: { code: 'SMS.SIGNATURE_INVALID', message: expect.any(String) as unknown },
    });

    // Signed right, then tampered with: the body is covered by the signature.
    const params = form();
    const url = `${sys.gatewayUrl}/webhooks/twilio/sms`;
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
    const tampered = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      body: new URLSearchParams({ ...params, Body: 'transfer everything' }).toString(),
    });
    expect(tampered.status).toBe(403);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
    expect(await sys.metric('omnigate_sms_signature_failures_total', { reason: 'invalid' })).toBe(
      failures + 2,
    );
  });

  it('refuses a missing signature with 403 and publishes nothing', async () => {
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const res = await postSigned(sys, '/webhooks/twilio/sms', form(), null);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'SMS.SIGNATURE_MISSING' } });
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
    expect(
      await sys.metric('omnigate_sms_signature_failures_total', { reason: 'missing' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['no MessageSid', { MessageSid: '' }, 'SMS.PAYLOAD_MALFORMED', "'MessageSid' is missing"],
    ['no From', { From: '' }, 'SMS.PAYLOAD_MALFORMED', "'From' is missing"],
    ['no To', { To: '' }, 'SMS.PAYLOAD_MALFORMED', "'To' is missing"],
    [
      'an invalid From',
      { From: '+1555' },
      'SMS.FROM_INVALID',
      "'From' is not a valid phone number",
    ],
  ])(
    'answers a signed form with %s with 400 and the reason, publishing nothing',
    async (_label, over, code, message) => {
      const before = await streamCount(sys.nats.url, 'MSG_IN');
      const res = await postSigned(sys, '/webhooks/twilio/sms', form(over));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code, message } });
      expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
    },
  );

  it('publishes one message for a MessageSid received twice (Twilio retrying)', async () => {
    const messageSid = sid();
    const first = await injectSms(sys, CUSTOMER, 'doppio', { messageSid });
    const again = await injectSms(sys, CUSTOMER, 'doppio', { messageSid });
    expect([first.status, again.status]).toEqual([200, 200]);
    const copies = (await sys.inbound()).filter((m) => m.providerMessageId === messageSid);
    expect(copies).toHaveLength(1);
    expect(
      await sys.metric('omnigate_gateway_inbound_published_total', {
        channel: 'sms',
        duplicate: 'true',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('never lets a card number reach the bus or the logs, in any format: only a reference, the number sealed to the vault', async () => {
    const pans = ['4111111111111111', '5500 0000 0000 0004', '3400-0000-0000-009'];
    const vault = HpkeOpener.fromConfig(sys.vault.privateKey);
    for (const pan of pans) {
      const res = await injectSms(sys, CUSTOMER, `la carta ${pan} non funziona`);
      expect(res.status).toBe(200);
      const [msg] = (await sys.inbound()).filter((m) => m.providerMessageId === res.messageSid);
      expect(msg!.text).toMatch(/^la carta \[card \w+ \*\*\*\*\d{4} ref_[a-p]+\] non funziona$/);
      expect(msg!.redactions).toHaveLength(1);
      // The number went to the vault sealed, under the reference the text shows, before the text.
      const ref = msg!.redactions[0]!.token;
      const sealed = (await sys.sealedCards()).find((c) => c.ref === ref);
      expect(sealed).toMatchObject({ channel: 'sms', last4: pan.replace(/\D/g, '').slice(-4) });
      expect(await vault.openText(sealed!.box, sealedCardAad(ref))).toBe(pan.replace(/\D/g, ''));
    }
    const raw = await dumpStreams(sys.nats.url, [
      'MSG_IN',
      'MSG_OUT',
      'MSG_STATUS',
      'CARDS',
      'DLQ',
    ]);
    expect(raw.length).toBeGreaterThan(0);
    for (const pan of pans) {
      expect(raw.filter((m) => containsPan(m, pan))).toEqual([]);
      expect(sys.logs.filter((l) => containsPan(l, pan))).toEqual([]);
    }
    // Neither the text nor the customer's number is logged.
    expect(sys.logs.filter((l) => l.includes('non funziona') || l.includes(CUSTOMER))).toEqual([]);
  });

  it('records STOP as an opt-out and publishes it as kind optout; START opts back in', async () => {
    const stop = await injectSms(sys, CUSTOMER, ' Stop ');
    expect(stop).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(await sys.veto(CUSTOMER)).toEqual({
      kind: 'opted_out',
      purpose: 'service',
      source: 'keyword:STOP',
    });
    const bus = await sys.inbound();
    expect(bus.find((m) => m.providerMessageId === stop.messageSid)).toMatchObject({
      kind: 'optout',
      meta: expect.objectContaining({ keyword: 'STOP' }) as unknown,
    });

    const start = await injectSms(sys, CUSTOMER, 'unstop');
    expect(start.status).toBe(200);
    expect(await sys.veto(CUSTOMER)).toBeNull();
    expect(
      (await sys.inbound()).find((m) => m.providerMessageId === start.messageSid),
    ).toMatchObject({ kind: 'optin' });
  });

  it('answers HELP with a TwiML reply in Italian and English', async () => {
    const res = await injectSms(sys, CUSTOMER, 'help');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>Omnigate: assistenza clienti\. Rispondi STOP .* Reply STOP to opt out.*<\/Message><\/Response>$/,
    );
    expect((await sys.inbound()).find((m) => m.providerMessageId === res.messageSid)).toMatchObject(
      { kind: 'help' },
    );
  });

  it('answers 503 while NATS is down (so Twilio retries) and publishes the retry once NATS is back', async () => {
    const messageSid = sid();
    await sys.nats.stop();
    try {
      const down = await injectSms(sys, CUSTOMER, 'sei lì?', { messageSid });
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
    const retry = await injectSms(sys, CUSTOMER, 'sei lì?', { messageSid });
    expect(retry.status).toBe(200);
    expect((await sys.inbound()).filter((m) => m.providerMessageId === messageSid)).toHaveLength(1);
  });
});
