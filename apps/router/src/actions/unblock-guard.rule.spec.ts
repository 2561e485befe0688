import { decideUnblock, refusalReason } from './unblock-guard.rule';
import type { GuardApproval, UnblockGuardInput } from './unblock-guard.rule';

const agent = { id: 'alice', role: 'agent' as const };
const fraud = { blockedBy: 'fraud_engine' as const };
const approved = (over: Partial<GuardApproval> = {}): GuardApproval => ({
  id: 'ap-1',
  status: 'approved',
  requestedBy: 'alice',
  decidedBy: 'sam',
  ...over,
});
const input = (over: Partial<UnblockGuardInput> = {}): UnblockGuardInput => ({
  card: fraud,
  requester: agent,
  assurance: 'possession',
  approval: null,
  ...over,
});

describe('decideUnblock', () => {
  it.each(['customer', 'bank', null] as const)('lets any agent unblock a %s block', (by) => {
    expect(decideUnblock(input({ card: { blockedBy: by } }))).toEqual({
      allowed: true,
      basis: 'not_fraud',
      approvalId: null,
    });
  });

  it('allows a fraud unblock when the customer is strongly authenticated now', () => {
    expect(decideUnblock(input({ assurance: 'strong' }))).toMatchObject({
      allowed: true,
      basis: 'assurance',
    });
  });

  it.each(['none', 'possession', 'app_session'] as const)(
    'refuses a fraud unblock at %s assurance without an approval, naming what is missing',
    (level) => {
      expect(decideUnblock(input({ assurance: level }))).toEqual({
        allowed: false,
        code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
        missing: `the customer's assurance is ${level} (needs strong)`,
      });
    },
  );

  it('allows it on an approval decided by another person', () => {
    expect(decideUnblock(input({ approval: approved() }))).toEqual({
      allowed: true,
      basis: 'approval',
      approvalId: 'ap-1',
    });
  });

  it.each([
    ['pending', approved({ status: 'pending', decidedBy: null })],
    ['rejected', approved({ status: 'rejected' })],
    ['already executed', approved({ status: 'executed' })],
    ['expired', approved({ status: 'expired' })],
    ['decided by its own requester', approved({ decidedBy: 'alice' })],
  ])('does not count an approval that is %s', (_what, approval) => {
    expect(decideUnblock(input({ approval })).allowed).toBe(false);
  });

  it('does not count an approval decided by the agent who asks now (one person twice)', () => {
    const approval = approved({ requestedBy: 'bob', decidedBy: 'sam' });
    expect(
      decideUnblock(input({ requester: { id: 'sam', role: 'supervisor' }, approval })),
    ).toMatchObject({ allowed: false });
  });
});

describe('refusalReason', () => {
  it('says what is missing, who must approve which request, and the app alternative', () => {
    expect(
      refusalReason("the customer's assurance is possession (needs strong)", 'ap-9', true),
    ).toBe(
      "the fraud engine blocked this card; the customer's assurance is possession (needs strong): " +
        'ask a supervisor (another person) to approve request ap-9 or ask the customer to confirm ' +
        'in the app (a request was sent)',
    );
    expect(refusalReason('x', 'ap-9', false)).toContain('the customer has no app');
  });
});
