import twilio from 'twilio';
import { consumerProgress, pollUntil } from '@omnigate/testing';
import {
  AUTH_TOKEN,
  injectSms,
  OUR_NUMBER,
  postSigned,
  sandboxControl,
  sandboxOutbound,
  startSmsSystem,
} from './sms-test-system';
import type { SmsSystem } from './sms-test-system';

const DURABLE = 'gateway-sms-send';

describe('gateway-sms outbound: msg.out.v1.sms → twilio SDK → sandbox, statuses → msg.status.v1.sms', () => {
  let sys: SmsSystem;

  beforeAll(async () => {
    sys = await startSmsSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const sentTo = async (to: string) => (await sandboxOutbound(sys)).filter((m) => m.to === to);

  it('sends through the twilio SDK and reports queued → sent → delivered from signed status callbacks', async () => {
    const to = '+393471111111';
    const msg = await sys.publishOutbound(to, 'Buongiorno, la carta è stata sbloccata.');
    const [wire] = await pollUntil(
      async () => {
        const m = await sentTo(to);
        return m.length > 0 && m;
      },
      { what: 'the SMS at the sandbox' },
    );
    expect(wire).toMatchObject({
      to,
      from: OUR_NUMBER,
      body: 'Buongiorno, la carta è stata sbloccata.',
    });
    const queued = await sys.waitForStatus(msg.messageId, 'queued');
    expect(queued).toMatchObject({ channel: 'sms', providerMessageId: wire!.sid });
    await sys.waitForStatus(msg.messageId, 'delivered');
    const states = (await sys.statuses(msg.messageId)).map((s) => s.state);
    expect(states).toEqual(['queued', 'sent', 'delivered']); // the callback's own "queued" was deduplicated
    for (const s of await sys.statuses(msg.messageId)) {
      expect(s.providerMessageId).toBe(wire!.sid);
    }
  });

  it('normalises a national recipient to E.164 before sending', async () => {
    const msg = await sys.publishOutbound('347 222 2222', 'ciao');
    await sys.waitForStatus(msg.messageId, 'queued');
    expect(await sentTo('+393472222222')).toHaveLength(1);
  });

  it('gives up on 21211 (invalid number): one failed status with code and reason, no retry', async () => {
    const progressBefore = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
    const msg = await sys.publishOutbound('+1555', 'to nowhere');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'TWILIO.21211',
      reason: 'The recipient is not a valid phone number (Twilio 21211)',
    });
    const progress = await pollUntil(
      async () => {
        const p = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
        return p && p.ackPending === 0 && p.pending === 0 && p;
      },
      { what: 'the outbound acknowledged' },
    );
    expect(progress.redelivered).toBe(progressBefore!.redelivered);
    expect(await sentTo('+1555')).toEqual([]);
  });

  it('reports a delivery failure (undelivered 30003) as failed with the Twilio code', async () => {
    const to = '+393473333333';
    expect((await sandboxControl(sys, 'failing-numbers', { number: to })).status).toBe(204);
    const msg = await sys.publishOutbound(to, 'non arriverà');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'TWILIO.30003',
      reason: expect.stringContaining('(Twilio 30003)') as unknown,
    });
  });

  it('never sends to a number that replied STOP (our own list, even where Twilio would still send); START sends again', async () => {
    const customer = '+393474444444';
    // STOP to our short code: Twilio keeps that opt-out per sender, our table blocks every send to the customer.
    const stop = await injectSms(sys, customer, 'STOP', { to: '40404' });
    expect(stop.status).toBe(200);
    expect(await sys.veto(customer)).toMatchObject({ kind: 'opted_out' });

    const blocked = await sys.publishOutbound(customer, 'offerta');
    const failed = await sys.waitForStatus(blocked.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'SMS.OPTED_OUT',
      reason: expect.stringMatching(/replied STOP/) as unknown,
    });
    expect(await sentTo(customer)).toEqual([]);

    await injectSms(sys, customer, 'START', { to: '40404' });
    const again = await sys.publishOutbound(customer, 'bentornato');
    await sys.waitForStatus(again.messageId, 'queued');
    expect((await sentTo(customer)).map((m) => m.body)).toEqual(['bentornato']);
  });

  it('records an opt-out Twilio knows and we did not (21610) and reports the message failed', async () => {
    const customer = '+393475555555';
    // Twilio saw the STOP, but its webhook never reached us.
    const res = await sandboxControl(sys, 'inbound', {
      from: customer,
      to: OUR_NUMBER,
      body: 'STOP',
      webhookUrl: 'http://127.0.0.1:1/down',
    });
    expect(res.status).toBe(503);
    expect(await sys.veto(customer)).toBeNull();

    const msg = await sys.publishOutbound(customer, 'x');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error).toMatchObject({
      code: 'SMS.OPTED_OUT',
      reason: expect.stringContaining('(Twilio 21610)') as unknown,
    });
    expect(await sys.veto(customer)).toMatchObject({ kind: 'opted_out' });
  });

  it('does not send a redelivered message twice, even from a fresh instance (the ledger is in NATS KV)', async () => {
    const to = '+393476666666';
    const msg = await sys.publishOutbound(to, 'risposta');
    const queued = await sys.waitForStatus(msg.messageId, 'queued');
    expect(await sys.kv('sms_ledger', msg.messageId)).toBe(queued.providerMessageId);
    // A new instance (nothing in memory) gets the same message again: a crash before the ack.
    await sys.restartGateway();
    expect(await sys.redeliver(msg)).toBe('already_sent');
    expect((await sentTo(to)).map((m) => m.sid)).toEqual([queued.providerMessageId]);
  });

  it("vetoes a number the customer opted out of in the app (the router's consent event)", async () => {
    const customer = '+393479999999';
    await sys.publishConsent(
      [customer],
      [
        { purpose: 'service', granted: false },
        { purpose: 'marketing', granted: false },
      ],
      'app',
    );
    await pollUntil(() => sys.veto(customer), { what: 'the consent event in the opt-out list' });
    const blocked = await sys.publishOutbound(customer, 'offerta');
    const failed = await sys.waitForStatus(blocked.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'SMS.OPTED_OUT',
      reason: 'Not sent: the customer turned off service messages on this channel in the app',
    });
    // A fraud alert is still allowed: only what the customer turned off is vetoed.
    const alert = await sys.publishOutbound(customer, 'transazione sospetta', {
      purpose: 'fraud_alert',
    });
    await sys.waitForStatus(alert.messageId, 'queued');
    expect((await sentTo(customer)).map((m) => m.body)).toEqual(['transazione sospetta']);
  });

  it('verifies status callbacks: forged → 403, a bad mid → 400, nothing published', async () => {
    const mid = '2d0e7a4b-5c6f-4d8e-af10-3b4c5d6e7f80';
    const params = {
      MessageSid: 'SM' + 'a'.repeat(32),
      MessageStatus: 'delivered',
      AccountSid: 'AC' + '5e'.repeat(16),
    };
    const forged = await postSigned(
      sys,
      `/webhooks/twilio/status?mid=${mid}`,
      params,
      'wrong-token-123',
    );
    expect(forged.status).toBe(403);
    // Signed for another message id: the query is part of what Twilio signs.
    const url = `${sys.gatewayUrl}/webhooks/twilio/status?mid=${mid}`;
    const moved = await fetch(url.replace(mid, '3e1f8b5c-6d7a-4e9f-b021-4c5d6e7f8091'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(moved.status).toBe(403);
    const badMid = await postSigned(sys, '/webhooks/twilio/status?mid=nope', params);
    expect(badMid.status).toBe(400);
    expect(await badMid.json()).toMatchObject({
      error: { code: 'SMS.PAYLOAD_MALFORMED', message: expect.stringContaining('mid') as unknown },
    });
    const noStatus = await postSigned(sys, `/webhooks/twilio/status?mid=${mid}`, {
      MessageSid: params.MessageSid,
    });
    expect(noStatus.status).toBe(400);
    expect(await sys.statuses(mid)).toEqual([]);
    const ok = await postSigned(sys, `/webhooks/twilio/status?mid=${mid}`, params);
    expect(ok.status).toBe(204);
    expect(await sys.statuses(mid)).toEqual([
      expect.objectContaining({ state: 'delivered', providerMessageId: params.MessageSid }),
    ]);
  });

  it('retries a 429 / 5xx from Twilio with backoff, then sends exactly once', async () => {
    const to = '+393477777777';
    expect((await sandboxControl(sys, 'faults', { status: 429, count: 2 })).status).toBe(204);
    const retries = { channel: 'sms', outcome: 'retry' };
    const retriesBefore = await sys.metric('omnigate_gateway_sends_total', retries);
    const msg = await sys.publishOutbound(to, 'dopo il limite');
    await sys.waitForStatus(msg.messageId, 'queued');
    expect(await sentTo(to)).toHaveLength(1);
    expect(await sys.metric('omnigate_gateway_sends_total', retries)).toBe(retriesBefore + 2);
  });

  it('retries in place while the sandbox (Twilio) is down, keeps the conversation in order, and sends once it is back', async () => {
    const to = '+393478888888';
    const retries = () =>
      sys.metric('omnigate_gateway_sends_total', { channel: 'sms', outcome: 'retry' });
    const before = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
    const retriesBefore = await retries();
    await sys.sandbox!.close();
    const first = await sys.publishOutbound(to, 'quando torni');
    const second = await sys.publishOutbound(to, 'e poi questo', {
      conversationId: first.conversationId,
      seq: 2,
    });
    // Sends are keyed by conversation: a failed send is tried again in place, with backoff, not
    // nak'ed (a nak let the conversation's next message go out before it).
    await pollUntil(async () => (await retries()) >= retriesBefore + 2, {
      what: 'two tries of the first message while Twilio is unreachable',
    });
    const during = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
    expect(during).toMatchObject({
      redelivered: before!.redelivered,
      ackPending: before!.ackPending + 2,
    });
    expect(await sys.statuses(first.messageId)).toEqual([]);
    expect(await sys.statuses(second.messageId)).toEqual([]);
    await sys.restartSandbox();
    await sys.waitForStatus(second.messageId, 'queued');
    // Newest first, as Twilio lists them: the first message went out first.
    expect((await sentTo(to)).map((m) => m.body)).toEqual(['e poi questo', 'quando torni']);
  });
});
