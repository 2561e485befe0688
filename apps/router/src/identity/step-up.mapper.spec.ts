import type { DecideStepUpRequestV1 } from '@omnigate/contracts';
import type { ApprovalRow } from '@omnigate/store';
import { checkApproval, newNonce, nonceHash, nonceMatches } from './step-up.mapper';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const pending: Pick<ApprovalRow, 'status' | 'expiresAt'> = {
  status: 'pending',
  expiresAt: new Date(NOW + 60_000),
};
const fresh = new Date(NOW - 30_000).toISOString();
const MAX_AGE = 300_000;
type Answer = Pick<DecideStepUpRequestV1, 'approve' | 'assurance' | 'authenticatedAt'>;
const check = (answer: Answer, approval = pending, nonceOk = true) =>
  checkApproval(approval, answer, NOW, MAX_AGE, nonceOk);

describe('checkApproval', () => {
  it('accepts an approval with the nonce and a fresh strong login', () => {
    expect(check({ approve: true, assurance: 'strong', authenticatedAt: fresh })).toEqual({
      error: null,
      expire: false,
    });
  });

  it('refuses an approval without the request’s nonce, even with a fresh strong login', () => {
    expect(
      check({ approve: true, assurance: 'strong', authenticatedAt: fresh }, pending, false).error
        ?.code,
    ).toBe('STEP_UP.NONCE_INVALID');
  });

  it('refuses an approval with an ordinary app session', () => {
    const r = check({ approve: true, assurance: 'app_session', authenticatedAt: fresh });
    expect(r.error?.code).toBe('STEP_UP.WEAK_LOGIN_FORBIDDEN');
  });

  it('refuses an approval with an old or undated strong login', () => {
    const old = new Date(NOW - 301_000).toISOString();
    expect(check({ approve: true, assurance: 'strong', authenticatedAt: old }).error?.code).toBe(
      'STEP_UP.STALE_LOGIN_FORBIDDEN',
    );
    expect(check({ approve: true, assurance: 'strong' }).error?.code).toBe(
      'STEP_UP.STALE_LOGIN_FORBIDDEN',
    );
  });

  it('lets the customer refuse without a strong login or the nonce', () => {
    expect(check({ approve: false, assurance: 'app_session' }, pending, false)).toEqual({
      error: null,
      expire: false,
    });
  });

  it('expires a request past its time, and refuses one already decided or used', () => {
    const late = { status: 'pending' as const, expiresAt: new Date(NOW - 1) };
    const r = check({ approve: true, assurance: 'strong', authenticatedAt: fresh }, late);
    expect(r.error?.code).toBe('STEP_UP.EXPIRED');
    expect(r.expire).toBe(true);
    for (const status of ['approved', 'executed', 'rejected'] as const) {
      expect(
        check({ approve: true, assurance: 'strong' }, { ...pending, status }).error?.code,
      ).toBe('STEP_UP.CONFLICT');
    }
    expect(
      check({ approve: false, assurance: 'strong' }, { ...pending, status: 'expired' }).error?.code,
    ).toBe('STEP_UP.EXPIRED');
  });
});

describe('nonces', () => {
  const KEY = 'k'.repeat(32);
  it('are 128 random bits, and match only their own request', () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newNonce()).not.toBe(nonce);
    const approval = { id: 'ap-1', nonceHash: nonceHash(KEY, 'ap-1', nonce) };
    expect(nonceMatches(KEY, approval, nonce)).toBe(true);
    expect(nonceMatches(KEY, approval, undefined)).toBe(false);
    expect(nonceMatches(KEY, approval, newNonce())).toBe(false);
    expect(nonceMatches(KEY, approval, nonce.toUpperCase())).toBe(nonce === nonce.toUpperCase());
    // The same nonce does not answer another request, nor under another key.
    expect(nonceMatches(KEY, { ...approval, id: 'ap-2' }, nonce)).toBe(false);
    expect(nonceMatches('x'.repeat(32), approval, nonce)).toBe(false);
  });
});
