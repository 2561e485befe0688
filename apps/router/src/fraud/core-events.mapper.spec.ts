import { CORE_EVENT_KINDS } from '@omnigate/contracts';
import { alertKindOf } from './core-events.mapper';

describe('alertKindOf', () => {
  it('keeps the three fraud signals as alerts', () => {
    expect(alertKindOf('card_blocked_by_fraud')).toBe('card_blocked_by_fraud');
    expect(alertKindOf('sim_swap')).toBe('sim_swap');
    expect(alertKindOf('new_device')).toBe('new_device');
  });

  it('stores no alert for an unblock or a phone change', () => {
    expect(alertKindOf('card_unblocked')).toBeNull();
    expect(alertKindOf('phone_changed')).toBeNull();
    expect(CORE_EVENT_KINDS.filter((k) => alertKindOf(k) !== null)).toHaveLength(3);
  });
});
