import { randomBytes } from 'node:crypto';
import { BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import { containsPan, pollUntil } from '@omnigate/testing';
import {
  AUTH_TOKEN,
  OUR_NUMBER,
  deployNatsUsers,
  injectSms,
  postSigned,
  sandboxOutbound,
  startSmsSystem,
} from './sms-test-system';
import type { SmsSystem } from './sms-test-system';

const CUSTOMER = '+393471234567';
const CUSTOMER_DIGITS = '3471234567';
const SECRET_TEXT = 'Il mio mutuo in ritardo, carta';
const PAN = '4111 1111 1111 1111';
const sid = () => 'SM' + randomBytes(16).toString('hex');
const BURST = 40;

function form(over: Record<string, string> = {}): Record<string, string> {
  return {
    MessageSid: sid(),
    AccountSid: 'AC' + '5e'.repeat(16),
    From: CUSTOMER,
    To: OUR_NUMBER,
    Body: 'ciao',
    NumMedia: '0',
    ApiVersion: '2010-04-01',
    ...over,
  };
}

/**
 * The SMS gateway as deployed: its own NATS user from deploy/nats (least privilege), webhook body
 * and rate limits, replays as no-ops, and logs without a phone number, a body or a card number.
 */
describe('gateway-sms hardening: least-privilege NATS user, webhook limits, clean logs', () => {
  let sys: SmsSystem;

  beforeAll(async () => {
    const users = deployNatsUsers();
    sys = await startSmsSystem(
      {
        ...users.gatewayEnv,
        WEBHOOK_RATE_BURST: String(BURST),
        WEBHOOK_RATE_PER_MINUTE: '1',
      },
      users.opts,
    );
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('works with its own NATS user: inbound published, outbound consumed and sent, statuses published', async () => {
    const res = await injectSms(sys, CUSTOMER, `${SECRET_TEXT} ${PAN}`);
    expect(res.status).toBe(200);
    const inbound = await sys.inbound();
    expect(inbound.find((m) => m.providerMessageId === res.messageSid)?.from.address).toBe(
      CUSTOMER,
    );
    const out = await sys.publishOutbound(CUSTOMER, `${SECRET_TEXT} risposta`);
    await sys.waitForStatus(out.messageId, 'delivered');
    expect((await sandboxOutbound(sys)).map((m) => m.body)).toContain(`${SECRET_TEXT} risposta`);
    // Each hop timed, and the send consumer's lag read with this user's own grants only.
    const sms = { channel: 'sms' };
    expect(await sys.metric('omnigate_gateway_inbound_publish_seconds_count', sms)).toBe(1);
    expect(await sys.metric('omnigate_gateway_send_seconds_count', { ...sms, result: 'ok' })).toBe(
      1,
    );
    const lag =
      /^omnigate_bus_consumer_pending_messages\{[^}]*durable="gateway-sms-send"[^}]*\} 0$/m;
    const dlq = /^omnigate_bus_stream_messages\{stream="DLQ"\} \d+$/m;
    await pollUntil(
      async () => {
        const text = await (await fetch(`${sys.managementUrl}/metrics`)).text();
        return lag.test(text) && dlq.test(text);
      },
      { timeoutMs: 15_000, what: 'the send consumer lag and the DLQ size reported' },
    );
  });

  it('is refused by NATS, with an error, when it publishes beyond its role', async () => {
    const bus = sys.gateway.app.get(BusPublisher);
    const msg = (await sys.inbound())[0];
    for (const subject of [Subjects.inbound('telegram'), Subjects.outbound('sms')]) {
      await expect(
        bus.publish(subject, InboundMessageV1Schema, msg as never, { msgId: sid() }),
      ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    await pollUntil(
      () =>
        sys.logs.some(
          (l) => l.includes('NATS permissions violation') && l.includes('msg.out.v1.sms'),
        ),
      { timeoutMs: 5000, what: 'the permissions violation in the log' },
    );
  });

  it('treats a replayed webhook (same signed request again) as a no-op: one message on the bus', async () => {
    const params = form({ Body: 'replay me' });
    const first = await postSigned(sys, '/webhooks/twilio/sms', params);
    const replay = await postSigned(sys, '/webhooks/twilio/sms', params);
    expect([first.status, replay.status]).toEqual([200, 200]);
    const copies = (await sys.inbound()).filter((m) => m.providerMessageId === params.MessageSid);
    expect(copies).toHaveLength(1);
    expect(
      sys.logs.some((l) => l.includes(params.MessageSid ?? '?') && l.includes('"duplicate":true')),
    ).toBe(true);
  });

  it('refuses an oversized webhook with 413 and a reason, before the signature check, publishing nothing', async () => {
    const before = (await sys.inbound()).length;
    const refusedBefore = await sys.metric('omnigate_webhook_refused_total', {
      reason: 'too_large',
    });
    const res = await postSigned(sys, '/webhooks/twilio/sms', form({ Body: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      code: 'HTTP.BODY_TOO_LARGE',
      message: expect.stringContaining('65536 bytes') as string,
    });
    expect((await sys.inbound()).length).toBe(before);
    expect(await sys.metric('omnigate_webhook_refused_total', { reason: 'too_large' })).toBe(
      refusedBefore + 1,
    );
  });

  it('logs no phone number, no message text and no card number', () => {
    const all = sys.logs.join('\n');
    expect(sys.logs.some((l) => l.includes('"msg":"inbound published"'))).toBe(true);
    expect(all).not.toContain(CUSTOMER_DIGITS);
    expect(all).not.toContain(OUR_NUMBER.slice(1));
    expect(all).not.toContain(SECRET_TEXT);
    expect(all).not.toContain('replay me');
    expect(containsPan(all, PAN)).toBe(false);
  });

  // Last: it spends the source's whole bucket.
  it('rate-limits a flood from one address: 429 with Retry-After, counted, before any signature check', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i <= BURST && !limited; i++) {
      const res = await postSigned(sys, '/webhooks/twilio/sms', form(), 'wrong-token' + AUTH_TOKEN);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([403]));
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited?.json()).toMatchObject({ code: 'HTTP.RATE_LIMITED' });
    expect(
      await sys.metric('omnigate_webhook_refused_total', { reason: 'rate_limited' }),
    ).toBeGreaterThanOrEqual(1);
    // Metrics are on the management port, never limited, and no longer on the public one.
    expect((await fetch(`${sys.managementUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${sys.gatewayUrl}/metrics`)).status).toBe(404);
  });
});
