import { checkApproval } from './step-up.mapper';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const pending = { status: 'pending' as const, expiresAt: new Date(NOW + 60_000) };
const fresh = new Date(NOW - 30_000).toISOString();
const MAX_AGE = 300_000;

describe('checkApproval', () => {
  it('accepts an approval with a fresh strong login', () => {
    expect(
      checkApproval(
        pending,
        { approve: true, assurance: 'strong', authenticatedAt: fresh },
        NOW,
        MAX_AGE,
      ),
    ).toEqual({ error: null, expire: false });
  });

  it('refuses an approval with an ordinary app session', () => {
    const r = checkApproval(
      pending,
      { approve: true, assurance: 'app_session', authenticatedAt: fresh },
      NOW,
      MAX_AGE,
    );
    expect(r.error?.code).toBe('STEP_UP.WEAK_LOGIN_FORBIDDEN');
  });

  it('refuses an approval with an old or undated strong login', () => {
    const old = new Date(NOW - 301_000).toISOString();
    expect(
      checkApproval(
        pending,
        { approve: true, assurance: 'strong', authenticatedAt: old },
        NOW,
        MAX_AGE,
      ).error?.code,
    ).toBe('STEP_UP.STALE_LOGIN_FORBIDDEN');
    expect(
      checkApproval(pending, { approve: true, assurance: 'strong' }, NOW, MAX_AGE).error?.code,
    ).toBe('STEP_UP.STALE_LOGIN_FORBIDDEN');
  });

  it('lets the customer refuse without a strong login', () => {
    expect(
      checkApproval(pending, { approve: false, assurance: 'app_session' }, NOW, MAX_AGE),
    ).toEqual({
      error: null,
      expire: false,
    });
  });

  it('expires a request past its time, and refuses one already decided', () => {
    const late = { status: 'pending' as const, expiresAt: new Date(NOW - 1) };
    const r = checkApproval(
      late,
      { approve: true, assurance: 'strong', authenticatedAt: fresh },
      NOW,
      MAX_AGE,
    );
    expect(r.error?.code).toBe('STEP_UP.EXPIRED');
    expect(r.expire).toBe(true);
    expect(
      checkApproval(
        { ...pending, status: 'approved' },
        { approve: true, assurance: 'strong' },
        NOW,
        MAX_AGE,
      ).error?.code,
    ).toBe('STEP_UP.CONFLICT');
    expect(
      checkApproval(
        { ...pending, status: 'expired' },
        { approve: false, assurance: 'strong' },
        NOW,
        MAX_AGE,
      ).error?.code,
    ).toBe('STEP_UP.EXPIRED');
  });
});
