import twilio from 'twilio';
import { pollUntil } from '@omnigate/testing';
import {
  ACCOUNT,
  CUSTOMER,
  OUR_NUMBER,
  SandboxRequestClient,
  TOKEN,
  startSandboxFixture,
} from './sandbox-fixture';
import type { SandboxFixture } from './sandbox-fixture';

describe('sandbox: the Twilio Messages API through the real twilio SDK', () => {
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

  it('answers /health ok without NATS or a database', async () => {
    const res = await fetch(`${f.sandbox.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: {} });
  });

  it('creates a message (201, echoed fields, segments) and fetches and lists it, newest first', async () => {
    const first = await f.client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'Ciao, la sua carta è attiva',
    });
    expect(first.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(first).toMatchObject({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'Ciao, la sua carta è attiva',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      accountSid: ACCOUNT,
      errorCode: null,
      apiVersion: '2010-04-01',
    });
    expect(first.dateCreated).toBeInstanceOf(Date);
    expect(first.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${first.sid}.json`);
    // One emoji turns the whole message into UCS-2: 70 per segment, 67 when split.
    const second = await f.client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: '🙂' + 'a'.repeat(70),
    });
    expect(second.numSegments).toBe('2');

    const fetched = await f.client.messages(first.sid).fetch();
    expect(fetched).toMatchObject({ sid: first.sid, to: CUSTOMER, body: first.body });
    const listed = await f.client.messages.list({ to: CUSTOMER });
    expect(listed.map((m) => m.sid)).toEqual([second.sid, first.sid]);
  });

  it('pages the list the way the SDK follows it (next_page_uri)', async () => {
    for (let i = 0; i < 3; i++) {
      await f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: `n${i}` });
    }
    const all = await f.client.messages.list({ pageSize: 2 });
    expect(all.map((m) => m.body)).toEqual(['n2', 'n1', 'n0']);
  });

  it('refuses wrong credentials with 401 in Twilio’s error shape', async () => {
    const bad = twilio(ACCOUNT, 'wrong-token-000', {
      httpClient: new SandboxRequestClient(f.sandbox.url),
    });
    await expect(
      bad.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({ status: 401, code: 20003 });
    const raw = await fetch(`${f.sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
      method: 'POST',
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await raw.json()).toMatchObject({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('answers 404 for an account SID that is not AC + 32 hex, and for an unknown message', async () => {
    const auth = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
    const res = await fetch(`${f.sandbox.url}/2010-04-01/Accounts/ACnothex/Messages.json`, {
      headers: { authorization: auth },
    });
    expect(res.status).toBe(404);
    await expect(f.client.messages('SM' + '0'.repeat(32)).fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it('refuses an invalid To with 21211 and a missing Body with 21602', async () => {
    await expect(
      f.client.messages.create({ to: '+1555', from: OUR_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number +1555 is not a valid phone number.",
    });
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21602,
    });
    expect(await f.client.messages.list()).toHaveLength(0);
  });

  it('sends signed status callbacks queued → sent → delivered that validateRequest accepts', async () => {
    const callback = `${f.receiver.url}/status?mid=abc-123`;
    const m = await f.client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'hello',
      statusCallback: callback,
    });
    const calls = await pollUntil(() => f.receiver.received.length >= 3 && f.receiver.received, {
      what: 'three status callbacks',
    });
    expect(calls.map((c) => c.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    for (const c of calls) {
      expect(c.url).toBe(callback);
      expect(c.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(twilio.validateRequest(TOKEN, c.signature!, c.url, c.params)).toBe(true);
      expect(twilio.validateRequest('another-token-00', c.signature!, c.url, c.params)).toBe(false);
      expect(c.params).toMatchObject({
        MessageSid: m.sid,
        SmsSid: m.sid,
        AccountSid: ACCOUNT,
        From: OUR_NUMBER,
        To: CUSTOMER,
        ApiVersion: '2010-04-01',
      });
      expect(c.params.ErrorCode).toBeUndefined();
    }
    await expect(f.client.messages(m.sid).fetch()).resolves.toMatchObject({ status: 'delivered' });
  });

  it('scripts a failing recipient: undelivered with ErrorCode 30003', async () => {
    expect((await f.control('failing-numbers', { number: CUSTOMER })).status).toBe(204);
    const m = await f.client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'x',
      statusCallback: `${f.receiver.url}/status`,
    });
    const calls = await pollUntil(() => f.receiver.received.length >= 3 && f.receiver.received, {
      what: 'callbacks',
    });
    expect(calls[2]!.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    await expect(f.client.messages(m.sid).fetch()).resolves.toMatchObject({
      status: 'undelivered',
      errorCode: 30003,
      errorMessage: 'Unreachable destination handset',
    });
  });

  it('sends through a Messaging Service: accepted, then the service number as sender', async () => {
    const service = 'MG' + 'b2'.repeat(16);
    const m = await f.client.messages.create({
      to: CUSTOMER,
      messagingServiceSid: service,
      body: 'x',
      statusCallback: `${f.receiver.url}/status`,
    });
    expect(m).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: service });
    const calls = await pollUntil(() => f.receiver.received.length >= 3 && f.receiver.received, {
      what: 'callbacks',
    });
    expect(calls[0]!.params).toMatchObject({ From: '+15017122661', MessagingServiceSid: service });
  });

  it('scripts an outage: the next calls answer 503 / 429, then service resumes', async () => {
    expect((await f.control('faults', { status: 503, count: 1 })).status).toBe(204);
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({ status: 503 });
    await f.control('faults', { status: 429, count: 1 });
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({ status: 429, code: 20429 });
    await expect(
      f.client.messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'x' }),
    ).resolves.toMatchObject({ status: 'queued' });
  });
});
