import type { Socket } from 'socket.io-client';
import type { RunningHttpApp } from '@omnigate/kit';
import { containsPan, metricsUrl } from '@omnigate/testing';
import { SocketPool, appToken, startInappSystem } from './inapp.harness';
import type { InappSystem } from './inapp.harness';

const PAN = '4111 1111 1111 1111';
const PHONE = '+393471234567';
const EMAIL = 'mario.rossi@example.com';
const SECRET_TEXT = 'Ho perso il lavoro e non pago la rata';
const BURST = 6;
type Reply = { ok: boolean; error?: { code: string } } & Record<string, unknown>;

const send = (s: Socket, payload: unknown) =>
  s.timeout(5000).emitWithAck('message', payload) as Promise<Reply>;

/** The app's socket entry point: handshakes rate-limited per address, replays no-ops, clean logs. */
describe('gateway-inapp hardening', () => {
  let sys: InappSystem;
  let gw: RunningHttpApp;
  const pool = new SocketPool();

  beforeAll(async () => {
    sys = await startInappSystem({
      LOG_LEVEL: 'debug',
      WEBHOOK_RATE_BURST: String(BURST),
      WEBHOOK_RATE_PER_MINUTE: '1',
    });
    gw = sys.gateway;
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await sys?.stop();
  });

  it('treats a replayed message (same clientMsgId) as a no-op, and logs no personal data', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-hardening'));
    const payload = {
      clientMsgId: 'c-replay-1',
      text: `${SECRET_TEXT}: chiamami al ${PHONE} o ${EMAIL}, carta ${PAN}`,
    };
    const first = await send(socket, payload);
    const replay = await send(socket, payload);
    expect(first).toEqual({ ok: true, clientMsgId: 'c-replay-1', accepted: true });
    expect(replay).toEqual(first);
    const published = (await sys.inbound()).filter((m) =>
      m.providerMessageId.includes('c-replay-1'),
    );
    expect(published).toHaveLength(1);
    // A bad event quoting personal data is refused without echoing it into the logs either.
    expect((await send(socket, { clientMsgId: PHONE, text: '' })).ok).toBe(false);

    const all = sys.logs.join('\n');
    expect(sys.logs.length).toBeGreaterThan(0);
    expect(all).not.toContain(PHONE.slice(3));
    expect(all).not.toContain(EMAIL);
    expect(all).not.toContain(SECRET_TEXT);
    expect(containsPan(all, PAN)).toBe(false);
  });

  // Last: it spends this address's whole bucket.
  it('ATTACK: answers a flood of handshakes from one address with 429, whatever X-Forwarded-For it sends', async () => {
    const token = await appToken('user-flood');
    let limited: Response | undefined;
    for (let i = 0; i <= BURST && !limited; i++) {
      // An engine.io polling handshake, as a client's first request, claiming a new address each
      // time: the peer (127.0.0.1) is no trusted proxy, so the header changes nothing.
      const res = await fetch(`${gw.url}/socket.io/?EIO=4&transport=polling&t=${i}`, {
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      });
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited?.json()).toMatchObject({ code: 'HTTP.RATE_LIMITED' });
    const refusal = await pool.refusal(gw.url, { token });
    expect(refusal.message).toMatch(/websocket error|xhr poll error|429/i);
    const metrics = await (await fetch(`${metricsUrl(gw)}/metrics`)).text();
    expect(metrics).toMatch(
      /omnigate_webhook_refused_total\{app="gateway-inapp",reason="rate_limited"\} [1-9]/,
    );
  });
});
