import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { IdentitiesRepository, MessagesRepository, OptOutsRepository } from '@omnigate/store';
import { consumerProgress, pollUntil } from '@omnigate/testing';
import {
  AUTH_TOKEN,
  injectSms,
  metricValue,
  OUR_NUMBER,
  postSigned,
  publishOutbound,
  sandboxControl,
  sandboxOutbound,
  startSmsSystem,
  statusesOf,
  waitForStatus,
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
    const msg = await publishOutbound(sys, to, 'Buongiorno, la carta è stata sbloccata.');
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
    const queued = await waitForStatus(sys, msg.messageId, 'queued');
    expect(queued).toMatchObject({ channel: 'sms', providerMessageId: wire!.sid });
    await waitForStatus(sys, msg.messageId, 'delivered');
    const states = (await statusesOf(sys, msg.messageId)).map((s) => s.state);
    expect(states).toEqual(['queued', 'sent', 'delivered']); // the callback's own "queued" was deduplicated
    for (const s of await statusesOf(sys, msg.messageId)) {
      expect(s.providerMessageId).toBe(wire!.sid);
    }
  });

  it('normalises a national recipient to E.164 before sending', async () => {
    const msg = await publishOutbound(sys, '347 222 2222', 'ciao');
    await waitForStatus(sys, msg.messageId, 'queued');
    expect(await sentTo('+393472222222')).toHaveLength(1);
  });

  it('gives up on 21211 (invalid number): one failed status with code and reason, no retry', async () => {
    const progressBefore = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
    const msg = await publishOutbound(sys, '+1555', 'to nowhere');
    const failed = await waitForStatus(sys, msg.messageId, 'failed');
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
    const msg = await publishOutbound(sys, to, 'non arriverà');
    const failed = await waitForStatus(sys, msg.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'TWILIO.30003',
      reason: expect.stringContaining('(Twilio 30003)') as unknown,
    });
  });

  it('never sends to a number that replied STOP (our table, even where Twilio would still send); START sends again', async () => {
    const customer = '+393474444444';
    // STOP to our short code: Twilio keeps that opt-out per sender, our table blocks every send to the customer.
    const stop = await injectSms(sys, customer, 'STOP', { to: '40404' });
    expect(stop.status).toBe(200);
    expect(await sys.probe.get(OptOutsRepository).isOptedOut('sms', customer)).toBe(true);

    const blocked = await publishOutbound(sys, customer, 'offerta');
    const failed = await waitForStatus(sys, blocked.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'SMS.OPTED_OUT',
      reason: expect.stringMatching(/replied STOP/) as unknown,
    });
    expect(await sentTo(customer)).toEqual([]);

    await injectSms(sys, customer, 'START', { to: '40404' });
    const again = await publishOutbound(sys, customer, 'bentornato');
    await waitForStatus(sys, again.messageId, 'queued');
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
    expect(await sys.probe.get(OptOutsRepository).isOptedOut('sms', customer)).toBe(false);

    const msg = await publishOutbound(sys, customer, 'x');
    const failed = await waitForStatus(sys, msg.messageId, 'failed');
    expect(failed.error).toMatchObject({
      code: 'SMS.OPTED_OUT',
      reason: expect.stringContaining('(Twilio 21610)') as unknown,
    });
    expect(await sys.probe.get(OptOutsRepository).isOptedOut('sms', customer)).toBe(true);
  });

  it('does not send again a message the database already knows as sent (a redelivery after a crash)', async () => {
    const store = sys.probe.get(MessagesRepository);
    const to = '+393476666666';
    const { customer } = await sys.probe.get(IdentitiesRepository).createContact('sms', to, null);
    const inbound = await store.appendInbound({
      customerId: customer.id,
      channel: 'sms',
      address: to,
      ourAddress: OUR_NUMBER,
      kind: 'text',
      body: 'ciao',
      attachments: [],
      providerMessageId: 'SMin',
      dedupeKey: `sms:SMin-${randomBytes(4).toString('hex')}`,
      clientMsgId: null,
      receivedAt: new Date(),
    });
    const reply = await store.appendOutbound({
      conversationId: inbound.conversation.id,
      channel: 'sms',
      address: to,
      body: 'risposta',
      authorKind: 'agent',
      authorId: 'alice',
      dedupeKey: `reply:${randomBytes(4).toString('hex')}`,
    });
    const sentSid = 'SM' + randomBytes(16).toString('hex');
    await store.applyStatus(reply.message.id, 'queued', null, new Date(), sentSid);

    const msg = await publishOutbound(sys, to, 'risposta', {
      messageId: reply.message.id,
      conversationId: inbound.conversation.id,
    });
    const queued = await waitForStatus(sys, msg.messageId, 'queued');
    expect(queued.providerMessageId).toBe(sentSid);
    expect(await sentTo(to)).toEqual([]);
    expect(await metricValue(sys, 'omnigate_sms_sends_total', { outcome: 'already_sent' })).toBe(1);
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
    expect(await statusesOf(sys, mid)).toEqual([]);
    const ok = await postSigned(sys, `/webhooks/twilio/status?mid=${mid}`, params);
    expect(ok.status).toBe(204);
    expect(await statusesOf(sys, mid)).toEqual([
      expect.objectContaining({ state: 'delivered', providerMessageId: params.MessageSid }),
    ]);
  });

  it('retries a 429 / 5xx from Twilio with backoff, then sends exactly once', async () => {
    const to = '+393477777777';
    expect((await sandboxControl(sys, 'faults', { status: 429, count: 2 })).status).toBe(204);
    const retriesBefore = await metricValue(sys, 'omnigate_sms_sends_total', { outcome: 'retry' });
    const msg = await publishOutbound(sys, to, 'dopo il limite');
    await waitForStatus(sys, msg.messageId, 'queued');
    expect(await sentTo(to)).toHaveLength(1);
    expect(await metricValue(sys, 'omnigate_sms_sends_total', { outcome: 'retry' })).toBe(
      retriesBefore + 2,
    );
  });

  it('retries while the sandbox (Twilio) is down and sends once it is back', async () => {
    const to = '+393478888888';
    const before = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
    await sys.sandbox.close();
    const msg = await publishOutbound(sys, to, 'quando torni');
    await pollUntil(
      async () => {
        const p = await consumerProgress(sys.nats.url, 'MSG_OUT', DURABLE);
        return p !== null && p.redelivered > before!.redelivered;
      },
      { what: 'a redelivery (nak) while Twilio is unreachable' },
    );
    expect(await statusesOf(sys, msg.messageId)).toEqual([]);
    await sys.restartSandbox();
    await waitForStatus(sys, msg.messageId, 'queued');
    expect((await sentTo(to)).map((m) => m.body)).toEqual(['quando torni']);
  });
});
