import { randomBytes } from 'node:crypto';
import { EDGE_FORBIDDEN_ENV } from '@omnigate/gateway-kit';
import { readiness, routerCreatesStreams, sealedCardFacts } from '@omnigate/testing';
import {
  OUR_NUMBER,
  injectSms,
  postSigned,
  sandboxOutbound,
  startSmsSystem,
} from './sms-test-system';
// The one source of the deploy permissions (tools/nats-config.spec.ts keeps the committed file equal).
import { deployedBeforeTheRouter } from '../../../tools/nats-test-users';
import type { SmsSystem } from './sms-test-system';

const CUSTOMER = '+393471234567';
const PAN = '4111 1111 1111 1111';
const sid = () => 'SM' + randomBytes(16).toString('hex');

/**
 * The SMS gateway as an edge (issue 12): its own least-privilege NATS user, no database and no
 * data key, only the vault's public key. It starts before the router created the streams and
 * waits; what it seals it cannot open.
 */
describe('gateway-sms as an edge: no database, no key that opens a card, starts before the router', () => {
  let sys: SmsSystem;

  beforeAll(async () => {
    // Its own NATS user; nobody has created the streams: the router is not up yet.
    const { gatewayEnv, opts } = deployedBeforeTheRouter('gateway-sms');
    sys = await startSmsSystem(gatewayEnv, opts);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs with nothing but its NATS user, its provider keys and the vault public key', () => {
    for (const key of EDGE_FORBIDDEN_ENV) expect(sys.gatewayEnv).not.toHaveProperty(key);
    expect(Object.keys(sys.gatewayEnv).sort()).toEqual(
      [
        'NATS_URL',
        'NATS_USER',
        'NATS_PASS',
        'VAULT_PUBLIC_KEY',
        'SMS_GATEWAY_PORT',
        'MANAGEMENT_PORT',
        'SMS_PUBLIC_URL',
        'SMS_SEND_BACKOFF_MS',
        'SMS_SEND_MAX_ATTEMPTS',
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM_NUMBER',
        'TWILIO_API_BASE',
      ].sort(),
    );
  });

  it('starts before the streams exist: not ready, webhooks 503 with Retry-After, nothing lost; proceeds once they appear', async () => {
    expect(await readiness(sys)).toMatchObject({
      status: 503,
      checks: { nats: true, streams: false },
    });

    const messageSid = sid();
    const form = { MessageSid: messageSid, From: CUSTOMER, To: OUR_NUMBER, Body: 'ci sei?' };
    const early = await postSigned(sys, '/webhooks/twilio/sms', form);
    expect(early.status).toBe(503);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await early.json()).toMatchObject({ error: { code: 'GATEWAY.STREAMS_UNAVAILABLE' } });

    // The router starts and creates the streams; the gateway notices without a restart.
    await routerCreatesStreams(sys);
    // Twilio retries the webhook it got a 503 for: published once.
    expect((await postSigned(sys, '/webhooks/twilio/sms', form)).status).toBe(200);
    expect((await sys.waitForInbound(messageSid)).text).toBe('ci sei?');
    // Its send loop started too.
    const out = await sys.publishOutbound(CUSTOMER, 'eccoci');
    await sys.waitForStatus(out.messageId, 'queued');
    expect((await sandboxOutbound(sys)).map((m) => m.body)).toContain('eccoci');
  });

  it('cannot open the card it sealed with anything it holds; the vault can', async () => {
    const res = await injectSms(sys, CUSTOMER, `la mia carta ${PAN} è bloccata`);
    expect(res.status).toBe(200);
    const msg = await sys.waitForInbound(res.messageSid);
    const ref = msg.redactions[0]!.token;
    expect(msg.text).toBe(`la mia carta [card visa ****1111 ${ref}] è bloccata`);
    // Everything in its environment that reads as a key, used as the opener's key: refused; the
    // vault opens it, and only under its own reference.
    expect(await sealedCardFacts(sys, ref, PAN)).toEqual({
      sealed: expect.objectContaining({ ref, channel: 'sms' }) as unknown,
      showsPan: false,
      gatewayOpens: { VAULT_PUBLIC_KEY: 'CRYPTO.HPKE_OPEN_FAILED' },
      vaultOpens: PAN.replace(/ /g, ''),
      vaultOpensUnderAnotherRef: 'refused',
    });
  });

  it('gives the same card, sent twice, two unrelated references and two different boxes', async () => {
    const a = await injectSms(sys, CUSTOMER, `carta ${PAN}`);
    const b = await injectSms(sys, CUSTOMER, `carta ${PAN}`);
    const [ra, rb] = await Promise.all(
      [a, b].map(async (r) => (await sys.waitForInbound(r.messageSid)).redactions[0]!.token),
    );
    expect(ra).not.toBe(rb);
    // Nothing of the number in either reference: they share no more than chance allows.
    const common = [...ra!.slice(4)].filter((ch, i) => rb![4 + i] === ch).length;
    expect(common).toBeLessThan(10);
    const boxes = (await sys.sealedCards()).filter((c) => c.ref === ra || c.ref === rb);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]!.box.ct).not.toBe(boxes[1]!.box.ct);
    expect(boxes[0]!.box.enc).not.toBe(boxes[1]!.box.enc);
  });
});
