import { RouterRequests } from '@omnigate/contracts';
import type { DecideStepUpRequestV1, InboundMessageV1 } from '@omnigate/contracts';
import { StepUpApprovalsRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { AssuranceService } from '../src/session/assurance.service';
import { StepUpService } from '../src/identity/step-up.service';
import { CORE_BANKING_SEED, SEED_IDS } from './core-banking.harness';
import { inappMessage, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;
const LUCA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.luca)!;
// Long enough to observe on a loaded machine, short enough to wait out.
const STRONG_TTL_MS = 6000;

describe('router: assurance across channels and step-up', () => {
  let sys: RouterSystem;
  let n = 0;
  const get = <T>(cls: abstract new (...args: never[]) => T): T => sys.router.app.get(cls);

  /** Sends and waits until stored; returns the conversation and customer ids. */
  const send = async (msg: InboundMessageV1) => {
    const from = sys.events.length;
    await sys.sendInbound(msg);
    const e = await pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((x) => x.event)
          .find((x) => x.kind === 'message.created' && x.message.text === msg.text),
      { what: 'the stored message' },
    );
    if (e.kind !== 'message.created') throw new Error('unreachable');
    return { conversationId: e.conversation.id, customerId: e.conversation.customer.id };
  };
  const strongAppMessage = (appUserId: string, authenticatedAt = new Date()) => {
    const m = inappMessage(appUserId, `dall'app ${++n}`, `c-${n}-${Date.now()}`);
    return {
      ...m,
      auth: { ...m.auth, level: 'strong' as const, authenticatedAt: authenticatedAt.toISOString() },
    };
  };
  const decide = (req: Omit<DecideStepUpRequestV1, 'appUserId'> & { appUserId?: string }) =>
    sys.rpc.request(RouterRequests.decideStepUp, { appUserId: 'app-giulia', ...req });

  beforeAll(async () => {
    sys = await startRouterSystem({
      ASSURANCE_STRONG_TTL_MS: String(STRONG_TTL_MS),
      STEP_UP_TTL_MS: '8000',
    });
  });
  afterAll(async () => sys?.close());

  it('a strong app login counts on every channel until its TTL, then falls back and a guarded action must step up', async () => {
    const sms = await send(inbound({ from: { address: GIULIA.phone }, text: 'ciao via SMS' }));
    const assurance = get(AssuranceService);
    expect((await assurance.current(sms.customerId)).level).toBe('possession');

    const before = Date.now();
    await send(strongAppMessage('app-giulia'));
    const strong = await pollUntil(
      async () => {
        const s = await assurance.current(sms.customerId);
        return s.level === 'strong' ? s : null;
      },
      { what: 'strong assurance' },
    );
    expect(strong.source).toBe('app_jwt');
    expect(Date.parse(strong.expiresAt)).toBeGreaterThanOrEqual(before + STRONG_TTL_MS - 1000);
    expect(Date.parse(strong.expiresAt)).toBeLessThanOrEqual(Date.now() + STRONG_TTL_MS);
    // The SMS conversation (the same customer) shows it with its expiry.
    const ctx = await sys.rpc.request(RouterRequests.getContext, {
      conversationId: sms.conversationId,
    });
    expect(ctx.assurance).toMatchObject({ level: 'strong', expiresAt: strong.expiresAt });
    expect(await assurance.satisfies(sms.customerId, 'strong')).toBe(true);

    const after = await pollUntil(
      async () => {
        const s = await assurance.current(sms.customerId);
        return s.level !== 'strong' ? s : null;
      },
      { what: 'the strong level to expire', timeoutMs: STRONG_TTL_MS + 5000 },
    );
    // The app session the login also proved outlasts the strong level.
    expect(after.level).toBe('app_session');
    expect(await assurance.satisfies(sms.customerId, 'strong')).toBe(false);
  });

  it('a strong login that happened long ago is not strong now', async () => {
    const old = await send(strongAppMessage('app-marco', new Date(Date.now() - 60 * 60_000)));
    // The level is raised after the message is stored (and its event published): poll for it.
    const level = await pollUntil(
      async () => {
        const s = await get(AssuranceService).current(old.customerId);
        return s.level === 'possession' ? null : s.level;
      },
      { what: 'the app session level' },
    );
    expect(level).toBe('app_session');
  });

  it('step-up: pushed to the app; a weak or stale approval is refused; a fresh strong one raises to strong', async () => {
    const { conversationId, customerId } = await send(
      inbound({ from: { address: GIULIA.phone }, text: 'sblocca la carta per favore' }),
    );
    const { approvalId, pushed } = await get(StepUpService).request({
      customerId,
      conversationId,
      level: 'strong',
      reason: 'unblock_fraud_card',
      requestedBy: 'alice',
    });
    expect(pushed).toBe(true);
    const push = await pollUntil(
      () => sys.outbound.find((o) => o.action?.approvalId === approvalId),
      { what: 'the step-up push' },
    );
    expect(push).toMatchObject({
      channel: 'inapp',
      to: { address: 'app-giulia' },
      conversationId,
      action: { kind: 'step_up', approvalId, level: 'strong' },
    });
    expect(push.text).toContain('conferma che sei tu');
    expect(push.text).toContain('confirm it is you');

    const fresh = new Date().toISOString();
    await expect(
      decide({ approvalId, approve: true, assurance: 'app_session', authenticatedAt: fresh }),
    ).rejects.toMatchObject({ code: 'STEP_UP.WEAK_LOGIN_FORBIDDEN' });
    await expect(
      decide({
        approvalId,
        approve: true,
        assurance: 'strong',
        authenticatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'STEP_UP.STALE_LOGIN_FORBIDDEN' });
    // Another customer's app cannot answer it (and cannot tell it exists).
    await expect(
      decide({
        approvalId,
        appUserId: 'app-marco',
        approve: true,
        assurance: 'strong',
        authenticatedAt: fresh,
      }),
    ).rejects.toMatchObject({ code: 'STEP_UP.NOT_FOUND' });

    const res = await decide({
      approvalId,
      approve: true,
      assurance: 'strong',
      authenticatedAt: new Date().toISOString(),
    });
    expect(res).toMatchObject({ approvalId, status: 'approved', level: 'strong' });
    expect((await get(AssuranceService).current(customerId)).source).toBe('step_up');
    await pollUntil(
      () =>
        sys.events.find(
          (e) =>
            e.conversationId === conversationId &&
            e.event.kind === 'notice' &&
            e.event.code === 'step_up.approved',
        ),
      { what: 'the step_up.approved notice' },
    );
    expect((await get(StepUpApprovalsRepository).get(approvalId))?.status).toBe('approved');
    await expect(
      decide({ approvalId, approve: true, assurance: 'strong', authenticatedAt: fresh }),
    ).rejects.toMatchObject({ code: 'STEP_UP.CONFLICT' });
  });

  it('step-up: an unanswered request expires', async () => {
    const { conversationId, customerId } = await send(
      inbound({ from: { address: GIULIA.phone }, text: 'di nuovo io' }),
    );
    const { approvalId } = await get(StepUpService).request({
      customerId,
      conversationId,
      level: 'strong',
      reason: 'unblock_fraud_card',
      requestedBy: 'bot',
    });
    const row = (await get(StepUpApprovalsRepository).get(approvalId))!;
    await pollUntil(() => Date.now() > row.expiresAt.getTime(), {
      what: 'the request to time out',
      timeoutMs: 15_000,
    });
    await expect(
      decide({
        approvalId,
        approve: true,
        assurance: 'strong',
        authenticatedAt: new Date().toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'STEP_UP.EXPIRED' });
    expect((await get(StepUpApprovalsRepository).get(approvalId))?.status).toBe('expired');
  });

  it('step-up: a customer without the app is not pushed to, so the caller can tell the agent', async () => {
    const { conversationId, customerId } = await send(
      inbound({ from: { address: LUCA.phone }, text: 'buongiorno' }),
    );
    const res = await get(StepUpService).request({
      customerId,
      conversationId,
      level: 'strong',
      reason: 'unblock_fraud_card',
      requestedBy: 'alice',
    });
    expect(res.pushed).toBe(false);
    expect(sys.outbound.some((o) => o.action?.approvalId === res.approvalId)).toBe(false);
  });
});
