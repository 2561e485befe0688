import type { MessageView } from '@omnigate/contracts';
import type { RunningHttpApp } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
// Test-only: the real router (with the core-banking stand-in) answers the gateway's identity
// requests, so the test covers app → gateway → bus → router → database. Production code of the
// gateway never imports another app.
import { inbound, startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { StepUpService } from '../../router/src/identity/step-up.service';
import { SocketPool, appToken, startGateway } from './inapp.harness';

// database-incidental: the gateway holds no database; link codes and step-up approvals are stored
// by the router, whose identity-linking and assurance-step-up tests run on both databases

type StepUpMessage = MessageView & {
  action?: {
    kind: string;
    approvalId: string;
    level: string;
    nonce?: string;
    operation?: { action: string; via: string };
  };
};

describe('gateway-inapp: link codes and step-up approvals over HTTP with the app JWT', () => {
  let sys: RouterSystem;
  let gw: RunningHttpApp;
  const pool = new SocketPool();
  const post = (path: string, token: string | null, body?: unknown) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const strongToken = (sub: string, authAgeS = 5) =>
    appToken(sub, {
      claims: { amr: ['face'], auth_time: Math.floor(Date.now() / 1000) - authAgeS },
    });

  beforeAll(async () => {
    sys = await startRouterSystem();
    gw = await startGateway({ nats: sys.nats });
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await gw?.close();
    await sys?.close();
  });

  it('POST /v1/link-codes gives the logged-in customer a code; no or a bad token is 401', async () => {
    const none = await post('/v1/link-codes', null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe(
      'INAPP.UNAUTHORIZED',
    );
    const forged = await post(
      '/v1/link-codes',
      await appToken('app-giulia', { secret: 'x'.repeat(40) }),
    );
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'INAPP.TOKEN_INVALID',
    );

    const res = await post('/v1/link-codes', await appToken('app-giulia'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { code: string; expiresAt: string };
    expect(body.code).toMatch(/^[A-Z2-9]{8}$/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());

    const stranger = await post('/v1/link-codes', await appToken('app-nobody'));
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe(
      'IDENTITY.APP_USER_NOT_FOUND',
    );
  });

  it('pushes a step-up request to the app socket; no nonce or a non-strong JWT is refused, a strong one with the nonce approves', async () => {
    const from = sys.events.length;
    await sys.sendInbound(
      inbound({ from: { address: '+393471234567' }, text: 'sbloccate la carta' }),
    );
    const created = await pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((e) => e.event)
          .find((e) => e.kind === 'message.created' && e.message.text === 'sbloccate la carta'),
      { what: "Giulia's message stored" },
    );
    if (created.kind !== 'message.created') throw new Error('unreachable');

    const socket = await pool.connect(gw.url, await appToken('app-giulia'));
    const pushed: StepUpMessage[] = [];
    socket.on('message', (m: StepUpMessage, ack?: () => void) => {
      pushed.push(m);
      ack?.();
    });
    const { approvalId, pushed: wasPushed } = await sys.router.app.get(StepUpService).request({
      customerId: created.conversation.customer.id,
      conversationId: created.conversation.id,
      level: 'strong',
      reason: 'unblock_fraud_card',
      requestedBy: 'alice',
    });
    expect(wasPushed).toBe(true);
    const msg = await pollUntil(() => pushed.find((m) => m.action?.approvalId === approvalId), {
      what: 'the step-up request on the socket',
    });
    expect(msg.action).toMatchObject({
      kind: 'step_up',
      approvalId,
      level: 'strong',
      operation: { action: 'confirm_identity', via: 'sms' },
    });
    const nonce = msg.action!.nonce!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The nonce travels only in the push, never in the stored (and resumable) text.
    expect(msg.text).not.toContain(nonce);
    expect(msg.author.kind).toBe('system');

    const path = `/v1/approvals/${approvalId}`;
    const bad = await post(path, await strongToken('app-giulia'), { approve: 'yes' });
    expect(bad.status).toBe(400);
    expect(
      (await post('/v1/approvals/not-a-uuid', await strongToken('app-giulia'), { approve: true }))
        .status,
    ).toBe(400);

    const unbound = await post(path, await strongToken('app-giulia'), { approve: true });
    expect(unbound.status).toBe(400);
    expect(((await unbound.json()) as { error: { code: string } }).error.code).toBe(
      'STEP_UP.NONCE_INVALID',
    );
    const weak = await post(path, await appToken('app-giulia'), { approve: true, nonce });
    expect(weak.status).toBe(403);
    expect(((await weak.json()) as { error: { code: string } }).error.code).toBe(
      'STEP_UP.WEAK_LOGIN_FORBIDDEN',
    );
    const stale = await post(path, await strongToken('app-giulia', 3600), {
      approve: true,
      nonce,
    });
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe(
      'STEP_UP.STALE_LOGIN_FORBIDDEN',
    );
    const marco = await post(path, await strongToken('app-marco'), { approve: true, nonce });
    expect(marco.status).toBe(404);

    const ok = await post(path, await strongToken('app-giulia'), { approve: true, nonce });
    expect(ok.status).toBe(200);
    // Approving raises no level (issue 13): the customer is where her links put her.
    expect(await ok.json()).toMatchObject({ approvalId, status: 'approved', level: 'possession' });
    const again = await post(path, await strongToken('app-giulia'), { approve: true, nonce });
    expect(again.status).toBe(409);
  });
});
