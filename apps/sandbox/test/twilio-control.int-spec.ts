import twilio from 'twilio';
import {
  ACCOUNT,
  CUSTOMER,
  EMPTY_TWIML,
  OUR_NUMBER,
  TOKEN,
  startSandboxFixture,
} from './sandbox-fixture';
import type { SandboxFixture } from './sandbox-fixture';

describe('sandbox: the control API (inbound injection, opt-outs, scripted failures)', () => {
  let f: SandboxFixture;

  beforeAll(async () => {
    f = await startSandboxFixture();
  });
  afterAll(async () => {
    await f?.stop();
  });
  beforeEach(async () => {
    await f.reset();
  });

  it('keeps Twilio-like opt-outs: STOP blocks sends with 21610, START lifts the block', async () => {
    const stop = await f.control('inbound', { from: CUSTOMER, to: OUR_NUMBER, body: '  stop ' });
    expect(stop.status).toBe(200);
    expect(await (await f.control('opt-outs')).json()).toEqual({
      optOuts: [
        expect.objectContaining({ sender: OUR_NUMBER, recipient: CUSTOMER, keyword: 'STOP' }),
      ],
    });
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    await f.control('inbound', { from: CUSTOMER, to: OUR_NUMBER, body: 'Unstop' });
    expect(await (await f.control('opt-outs')).json()).toEqual({ optOuts: [] });
    // "Stop please" is not a keyword: only a whole body counts.
    await f.control('inbound', { from: CUSTOMER, to: OUR_NUMBER, body: 'Stop please' });
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'back' }),
    ).resolves.toMatchObject({ status: 'queued' });
  });

  it('injects an inbound SMS as Twilio’s signed webhook and reports the webhook’s answer', async () => {
    const res = await f.control('inbound', {
      from: CUSTOMER,
      to: OUR_NUMBER,
      body: 'Ho un problema con un bonifico',
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { messageSid: string; status: number; body: string };
    expect(out).toMatchObject({
      messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/) as unknown,
      status: 200,
      body: EMPTY_TWIML,
    });
    const [w] = f.receiver.received;
    expect(w!.url).toBe(`${f.receiver.url}/webhooks/twilio/sms`);
    expect(twilio.validateRequest(TOKEN, w!.signature!, w!.url, w!.params)).toBe(true);
    expect(w!.params).toMatchObject({
      MessageSid: out.messageSid,
      SmsSid: out.messageSid,
      SmsMessageSid: out.messageSid,
      AccountSid: ACCOUNT,
      From: CUSTOMER,
      To: OUR_NUMBER,
      Body: 'Ho un problema con un bonifico',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      FromCountry: 'IT',
      ToCountry: 'IT',
    });
    const inbound = await f.client.messages(out.messageSid).fetch();
    expect(inbound).toMatchObject({ direction: 'inbound', status: 'received', from: CUSTOMER });
  });

  it('signs for an explicit webhookUrl and keeps a given MessageSid', async () => {
    const sid = 'SM' + 'c3'.repeat(16);
    const url = `${f.receiver.url}/other/hook?x=1`;
    const res = await f.control('inbound', {
      from: CUSTOMER,
      to: OUR_NUMBER,
      body: 'x',
      messageSid: sid,
      webhookUrl: url,
    });
    expect(await res.json()).toMatchObject({ messageSid: sid, status: 204 });
    expect(
      twilio.validateRequest(
        TOKEN,
        f.receiver.received[0]!.signature!,
        url,
        f.receiver.received[0]!.params,
      ),
    ).toBe(true);
  });

  it('refuses bad control requests with 400 and a reason; an unreachable webhook with 503', async () => {
    const bad = await f.control('inbound', { from: CUSTOMER, body: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'REQUEST.INVALID', message: expect.stringContaining('to') as unknown },
    });
    const badFault = await f.control('faults', { status: 418, count: 1 });
    expect(badFault.status).toBe(400);
    const down = await f.control('inbound', {
      from: CUSTOMER,
      to: OUR_NUMBER,
      body: 'x',
      webhookUrl: 'http://127.0.0.1:1/hook',
    });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: 'SANDBOX.WEBHOOK_UNAVAILABLE' } });
  });
});
