import {
  NotifyKeys,
  notificationAddresses,
  notificationIdFor,
  notificationIdOf,
  pickFallback,
  planNotification,
} from './notification-channels.mapper';
import type { NotifyAddressBook } from './notification-channels.mapper';

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
const book = (over: Partial<NotifyAddressBook> = {}): NotifyAddressBook => ({
  identities: [
    { channel: 'inapp', address: 'app-giulia', status: 'linked', createdAt: at(1) },
    { channel: 'sms', address: '+393470000000', status: 'linked', createdAt: at(1) },
    { channel: 'telegram', address: '555', status: 'linked', createdAt: at(2) },
    { channel: 'whatsapp', address: '+393479999999', status: 'unverified', createdAt: at(3) },
  ],
  bankPhone: '+393471234567',
  bankEmail: 'giulia@example.it',
  ...over,
});

describe('notificationAddresses', () => {
  it('lists app, SMS to the bank-verified phone, then linked fallbacks, never unverified ones', () => {
    expect(notificationAddresses(book())).toEqual([
      { channel: 'inapp', address: 'app-giulia' },
      { channel: 'sms', address: '+393471234567' },
      { channel: 'telegram', address: '555' },
      { channel: 'email', address: 'giulia@example.it' },
    ]);
  });

  it('uses the linked SMS number when the bank has no phone, and the newest linked identity', () => {
    const b = book({
      bankPhone: null,
      bankEmail: null,
      identities: [
        { channel: 'sms', address: '+39old', status: 'linked', createdAt: at(1) },
        { channel: 'sms', address: '+39new', status: 'linked', createdAt: at(5) },
        { channel: 'inapp', address: 'app-x', status: 'revoked', createdAt: at(6) },
      ],
    });
    expect(notificationAddresses(b)).toEqual([{ channel: 'sms', address: '+39new' }]);
  });
});

describe('planNotification', () => {
  it('sends to app and SMS, no fallback when both are there', () => {
    const plan = planNotification(notificationAddresses(book()));
    expect(plan.primary.map((t) => t.channel)).toEqual(['inapp', 'sms']);
    expect(plan.fallback).toBeNull();
  });

  it('adds one fallback channel at once when the customer has no app', () => {
    const allowed = notificationAddresses(book()).filter((t) => t.channel !== 'inapp');
    expect(planNotification(allowed)).toEqual({
      primary: [{ channel: 'sms', address: '+393471234567' }],
      fallback: { channel: 'telegram', address: '555' },
    });
  });

  it('has nothing to plan for a customer without any address', () => {
    expect(planNotification([])).toEqual({ primary: [], fallback: null });
  });
});

describe('pickFallback', () => {
  it('picks the first fallback channel not tried yet', () => {
    const allowed = notificationAddresses(book());
    expect(pickFallback(allowed, new Set(['inapp', 'sms']))?.channel).toBe('telegram');
    expect(pickFallback(allowed, new Set(['telegram']))?.channel).toBe('email');
    expect(pickFallback(allowed, new Set(['telegram', 'email']))).toBeNull();
  });
});

describe('notification keys', () => {
  it('finds the notification of a system message, and nothing for other messages', () => {
    expect(notificationIdOf({ authorKind: 'system', authorId: NotifyKeys.author('n1') })).toBe(
      'n1',
    );
    expect(notificationIdOf({ authorKind: 'agent', authorId: 'notify:n1' })).toBeNull();
    expect(notificationIdOf({ authorKind: 'system', authorId: null })).toBeNull();
  });

  it('derives one stable id per cause', () => {
    expect(notificationIdFor('a')).toBe(notificationIdFor('a'));
    expect(notificationIdFor('a')).not.toBe(notificationIdFor('b'));
    expect(notificationIdFor('a')).toMatch(/^[0-9a-f]{32}$/);
  });
});
