import type { Socket } from 'socket.io-client';
import type { MessageView } from '@omnigate/contracts';
import { EDGE_FORBIDDEN_ENV } from '@omnigate/gateway-kit';
import { pollUntil, readiness, routerCreatesStreams, sealedCardFacts } from '@omnigate/testing';
// The one source of the deploy permissions (tools/nats-config.spec.ts keeps the committed file equal).
import { deployedBeforeTheRouter } from '../../../tools/nats-test-users';
import { SocketPool, appToken, startInappSystem } from './inapp.harness';
import type { InappSystem } from './inapp.harness';

const PAN = '4111 1111 1111 1111';
type Reply = { ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>;

const send = (s: Socket, clientMsgId: string, text: string) =>
  s.timeout(5000).emitWithAck('message', { clientMsgId, text }) as Promise<Reply>;

/** What the app's socket receives, acknowledged as the app does (the ack is `delivered`). */
function pushes(socket: Socket): MessageView[] {
  const got: MessageView[] = [];
  socket.on('message', (m: MessageView, cb?: (r: unknown) => void) => {
    got.push(m);
    cb?.({ ok: true });
  });
  return got;
}

/**
 * The in-app gateway as an edge (issue 12), on the kit: its own least-privilege NATS user, no
 * database and no data key, only the vault's public key. It starts before the router created the
 * streams and waits; then a message from the app goes in (its card sealed to the vault, which the
 * gateway cannot open) and a reply goes out to the app's socket, each end to end over the bus.
 */
describe('gateway-inapp as an edge: no database, no data key, inbound and outbound end to end', () => {
  let sys: InappSystem;
  const pool = new SocketPool();

  beforeAll(async () => {
    // Its own NATS user; nobody has created the streams: the router is not up yet.
    const { gatewayEnv, opts } = deployedBeforeTheRouter('gateway-inapp');
    sys = await startInappSystem(gatewayEnv, opts);
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs with nothing but its NATS user, the app login key and the vault public key', () => {
    for (const key of EDGE_FORBIDDEN_ENV) expect(sys.gatewayEnv).not.toHaveProperty(key);
    expect(Object.keys(sys.gatewayEnv).sort()).toEqual(
      [
        'NATS_URL',
        'NATS_USER',
        'NATS_PASS',
        'VAULT_PUBLIC_KEY',
        'INAPP_GATEWAY_PORT',
        'MANAGEMENT_PORT',
        'INAPP_JWT_SECRET',
        'INAPP_SEND_BACKOFF_MS',
      ].sort(),
    );
  });

  it('starts before the streams exist: not ready, a message is answered "send it again"; goes once they appear', async () => {
    expect(await readiness(sys)).toMatchObject({
      status: 503,
      checks: { nats: true, streams: false },
    });

    const socket = await pool.connect(sys.gatewayUrl, await appToken('app-early'));
    const early = await send(socket, 'c-early', 'ci siete?');
    expect(early).toMatchObject({
      ok: false,
      error: {
        code: 'GATEWAY.STREAMS_UNAVAILABLE',
        message: expect.stringMatching(/again/) as unknown,
      },
    });

    // The router starts and creates the streams; the gateway notices without a restart.
    await routerCreatesStreams(sys);
    // The app sends the same message again: published once.
    expect(await send(socket, 'c-early', 'ci siete?')).toEqual({
      ok: true,
      clientMsgId: 'c-early',
      accepted: true,
    });
    expect((await sys.waitForInbound('app-early:c-early')).text).toBe('ci siete?');
  });

  it('inbound: the card is sealed to the vault before the message names it; nothing the gateway holds opens it', async () => {
    const socket = await pool.connect(sys.gatewayUrl, await appToken('app-giulia'));
    expect((await send(socket, 'c-card', `la carta ${PAN} è bloccata`)).ok).toBe(true);
    const msg = await sys.waitForInbound('app-giulia:c-card');
    const ref = msg.redactions[0]!.token;
    expect(msg).toMatchObject({
      channel: 'inapp',
      from: { address: 'app-giulia' },
      text: `la carta [card visa ****1111 ${ref}] è bloccata`,
      auth: { method: 'app_jwt' },
    });
    expect(await sealedCardFacts(sys, ref, PAN)).toEqual({
      sealed: expect.objectContaining({ ref, channel: 'inapp' }) as unknown,
      showsPan: false,
      gatewayOpens: { VAULT_PUBLIC_KEY: 'CRYPTO.HPKE_OPEN_FAILED' },
      vaultOpens: PAN.replace(/ /g, ''),
      vaultOpensUnderAnotherRef: 'refused',
    });
  });

  it('outbound: the reply reaches the app socket, sent then delivered; a redelivery is reported, never pushed again', async () => {
    const socket = await pool.connect(sys.gatewayUrl, await appToken('app-marco'));
    const got = pushes(socket);
    const out = await sys.publishOutbound('app-marco', 'Buongiorno Marco / Good morning');
    const view = await pollUntil(() => got.find((m) => m.id === out.messageId), {
      what: 'the push on the socket',
    });
    expect(view).toMatchObject({
      conversationId: out.conversationId,
      direction: 'outbound',
      channel: 'inapp',
      text: 'Buongiorno Marco / Good morning',
    });
    expect(await sys.waitForStatus(out.messageId, 'sent')).toMatchObject({
      providerMessageId: out.messageId,
    });
    await sys.waitForStatus(out.messageId, 'delivered');

    expect(await sys.redeliver(out)).toBe('already_sent');
    expect(got.filter((m) => m.id === out.messageId)).toHaveLength(1);
  });

  it('outbound: an opt-out (the app’s settings, a STOP typed in the app) is honoured at the edge', async () => {
    await sys.publishConsent(['app-luca'], [{ purpose: 'marketing', granted: false }], 'app');
    await pollUntil(async () => (await sys.veto('app-luca', 'marketing')) !== null, {
      what: 'the consent event in the gateway’s opt-out list',
    });
    const socket = await pool.connect(sys.gatewayUrl, await appToken('app-luca'));
    const got = pushes(socket);
    const promo = await sys.publishOutbound('app-luca', 'Offerta', { purpose: 'marketing' });
    expect((await sys.waitForStatus(promo.messageId, 'failed')).error).toEqual({
      code: 'INAPP.OPTED_OUT',
      reason: 'Not sent: the customer turned off marketing messages on this channel in the app',
    });
    expect((await send(socket, 'c-stop', 'STOP')).ok).toBe(true);
    expect((await sys.waitForInbound('app-luca:c-stop')).kind).toBe('optout');
    expect(await sys.veto('app-luca', 'service')).toMatchObject({ kind: 'opted_out' });
    const service = await sys.publishOutbound('app-luca', 'La sua pratica');
    expect((await sys.waitForStatus(service.messageId, 'failed')).error?.code).toBe(
      'INAPP.OPTED_OUT',
    );
    // The router's confirmation of the STOP itself still reaches the app, once.
    const confirmation = await sys.publishOutbound('app-luca', 'Non riceverai più messaggi', {
      author: { kind: 'system', id: 'consent' },
    });
    await sys.waitForStatus(confirmation.messageId, 'sent');
    await pollUntil(() => got.length === 1, { what: 'the confirmation on the socket' });
    expect(got.map((m) => m.id)).toEqual([confirmation.messageId]);
  });
});
