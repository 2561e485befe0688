import { randomUUID } from 'node:crypto';
import { EDGE_FORBIDDEN_ENV } from '@omnigate/gateway-kit';
import { pollUntil, readiness, routerCreatesStreams, sealedCardFacts } from '@omnigate/testing';
// The one source of the deploy permissions (tools/nats-config.spec.ts keeps the committed file equal).
import { deployedBeforeTheRouter } from '../../../tools/nats-test-users';
import { SUPPORT, sendMail, sinkMessages, startEmailSystem } from './email-test-system';
import type { EmailSystem } from './email-test-system';

const GIULIA = 'giulia.rossi@example.it';
const PAN = '4111 1111 1111 1111';
const mid = () => `<${randomUUID()}@mail.example.it>`;

/**
 * The email gateway as an edge (issue 12), on the kit: its own least-privilege NATS user, no
 * database and no data key, only public keys (the vault's, the router's intake). It starts before
 * the router created the streams and makes the sending server wait (451); then a customer's mail
 * goes in (its card sealed to the vault, which the gateway cannot open) and our reply goes out,
 * threaded, each end to end over the bus.
 */
describe('gateway-email as an edge: no database, no data key, inbound and outbound end to end', () => {
  let sys: EmailSystem;

  beforeAll(async () => {
    // Its own NATS user; nobody has created the streams: the router is not up yet.
    const { gatewayEnv, opts } = deployedBeforeTheRouter('gateway-email');
    sys = await startEmailSystem(gatewayEnv, opts);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs with nothing but its NATS user, its mail settings and two public keys', () => {
    for (const key of EDGE_FORBIDDEN_ENV) expect(sys.gatewayEnv).not.toHaveProperty(key);
    expect(sys.gatewayEnv).toMatchObject({ NATS_USER: 'gateway-email' });
    const keyish = Object.values(sys.gatewayEnv).filter((v) => /^[\w-]{1,32}:[\w-]{43}$/.test(v));
    expect(keyish.sort()).toEqual([sys.keys.vault.publicKey, sys.keys.intake.publicKey].sort());
  });

  it('starts before the streams exist: not ready, mail answered 451 (the sender retries); takes it once they appear', async () => {
    expect(await readiness(sys)).toMatchObject({
      status: 503,
      checks: { nats: true, streams: false },
    });
    const id = mid();
    const mail = { from: GIULIA, subject: 'Ci siete?', text: 'Ci siete?', messageId: id };
    expect(await sendMail(sys, { ...mail, dkim: true })).toMatchObject({
      accepted: false,
      responseCode: 451,
    });

    // The router starts and creates the streams; the gateway notices without a restart.
    await routerCreatesStreams(sys);
    expect(await sendMail(sys, { ...mail, dkim: true })).toMatchObject({ responseCode: 250 });
    expect((await sys.waitForInbound(id)).text).toBe('Ci siete?\n\nCi siete?');
  });

  it('inbound then outbound: the card sealed for the vault only, the reply threaded under the mail and sent', async () => {
    const id = mid();
    await sendMail(sys, {
      from: GIULIA,
      subject: 'Carta bloccata',
      text: `La mia carta ${PAN} non va`,
      messageId: id,
      dkim: true,
    });
    const msg = await sys.waitForInbound(id);
    const ref = msg.redactions[0]!.token;
    expect(msg.text).toBe(`Carta bloccata\n\nLa mia carta [card visa ****1111 ${ref}] non va`);
    // Neither public key it holds opens it (the intake key is not even the vault's key id).
    expect(await sealedCardFacts(sys, ref, PAN)).toEqual({
      sealed: expect.objectContaining({ ref, channel: 'email' }) as unknown,
      showsPan: false,
      gatewayOpens: {
        VAULT_PUBLIC_KEY: 'CRYPTO.HPKE_OPEN_FAILED',
        ROUTER_INTAKE_PUBLIC_KEY: 'CRYPTO.HPKE_UNKNOWN_KEY',
      },
      vaultOpens: PAN.replace(/ /g, ''),
      vaultOpensUnderAnotherRef: 'refused',
    });

    const conversationId = randomUUID();
    const out = await sys.publishOutbound(GIULIA, 'Buongiorno Giulia, verifico subito.', {
      conversationId,
      seq: 2,
    });
    const sent = await pollUntil(
      async () => (await sinkMessages(sys)).find((m) => m.text.includes('verifico subito')),
      { what: 'our reply at the sink' },
    );
    expect(sent).toMatchObject({
      from: SUPPORT,
      to: [GIULIA],
      subject: 'Re: Carta bloccata',
      inReplyTo: id,
      replyTo: `support+${conversationId}@bank.example`,
    });
    expect((await sys.waitForStatus(out.messageId, 'sent')).providerMessageId).toBe(sent.messageId);
  });
});
