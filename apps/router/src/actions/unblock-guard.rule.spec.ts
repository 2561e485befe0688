import { decideUnblock, refusalReason, stepUpAuthorises } from './unblock-guard.rule';
import type { GuardApproval, GuardStepUp, UnblockGuardInput } from './unblock-guard.rule';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const agent = { id: 'alice', role: 'agent' as const };
const fraud = { id: 'card-1', blockedBy: 'fraud_engine' as const };
const approved = (over: Partial<GuardApproval> = {}): GuardApproval => ({
  id: 'ap-1',
  status: 'approved',
  requestedBy: 'alice',
  decidedBy: 'sam',
  ...over,
});
const stepUp = (over: Partial<GuardStepUp> = {}): GuardStepUp => ({
  id: 'su-1',
  status: 'approved',
  customerId: 'cust-1',
  conversationId: 'conv-1',
  action: 'unblock_card',
  target: 'card-1',
  requestedBy: 'alice',
  expiresAt: new Date(NOW + 60_000),
  ...over,
});
const input = (over: Partial<UnblockGuardInput> = {}): UnblockGuardInput => ({
  card: fraud,
  customerId: 'cust-1',
  conversationId: 'conv-1',
  requester: agent,
  approval: null,
  stepUp: null,
  now: NOW,
  ...over,
});

describe('decideUnblock', () => {
  it.each(['customer', 'bank', null] as const)('lets any agent unblock a %s block', (by) => {
    expect(decideUnblock(input({ card: { id: 'card-1', blockedBy: by } }))).toEqual({
      allowed: true,
      basis: 'not_fraud',
      approvalId: null,
    });
  });

  it('refuses a fraud unblock without an approval, naming what is missing', () => {
    expect(decideUnblock(input())).toEqual({
      allowed: false,
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
      missing:
        'neither a supervisor nor the customer (in the app, for this unblock) has approved it',
    });
  });

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

  it("allows it on the customer's approval in the app of this very unblock", () => {
    expect(decideUnblock(input({ stepUp: stepUp() }))).toEqual({
      allowed: true,
      basis: 'step_up',
      approvalId: 'su-1',
    });
  });
});

describe("stepUpAuthorises: the customer's approval covers one action, once, for minutes", () => {
  const u = input();
  it('covers the unblock it names', () => {
    expect(stepUpAuthorises(stepUp(), u)).toBe(true);
  });

  it.each([
    ['used already', stepUp({ status: 'executed' })],
    ['not answered yet', stepUp({ status: 'pending' })],
    ['refused', stepUp({ status: 'rejected' })],
    ['expired', stepUp({ expiresAt: new Date(NOW) })],
    ['for another card', stepUp({ target: 'card-2' })],
    ['for another action (an identity check)', stepUp({ action: null, target: 'strong' })],
    ['of another customer', stepUp({ customerId: 'cust-2' })],
    ['asked in another conversation', stepUp({ conversationId: 'conv-2' })],
    ['asked by another agent', stepUp({ requestedBy: 'bob' })],
  ])('does not cover an approval %s', (_what, s) => {
    expect(stepUpAuthorises(s, u)).toBe(false);
    expect(decideUnblock(input({ stepUp: s })).allowed).toBe(false);
  });
});

describe('refusalReason', () => {
  it('says what is missing, who must approve which request, and the app alternative', () => {
    expect(refusalReason('neither x nor y has approved it', 'ap-9', true)).toBe(
      'the fraud engine blocked this card; neither x nor y has approved it: ' +
        'ask a supervisor (another person) to approve request ap-9 or ask the customer to ' +
        'approve this unblock in the app (a request naming it was sent)',
    );
    expect(refusalReason('x', 'ap-9', false)).toContain('the customer has no app');
  });
});
