import type { ChannelIdentityRow } from '@omnigate/store';
import { maskAddress, toCardViews, toLinkedChannels } from './customer-context.mapper';

describe('maskAddress', () => {
  it.each([
    ['sms', '+393471234567', '+39•••••4567'],
    ['whatsapp', '+447911123456', '+44•••••3456'],
    ['sms', '+14155550123', '+1•••••0123'],
    ['email', 'giulia.rossi@example.it', 'g•••••@example.it'],
    ['inapp', 'app-giulia', 'ap•••••ia'],
    ['telegram', '12345', '•••••'],
    ['sms', 'BANCA', '•••••'],
  ] as const)('%s %s → %s', (channel, address, masked) => {
    expect(maskAddress(channel, address)).toBe(masked);
  });
});

describe('toLinkedChannels', () => {
  it('masks every address and keeps each link assurance, method and identity id', () => {
    const row = (channel: string, address: string, assurance: string): ChannelIdentityRow => ({
      id: '00000000-0000-4000-8000-000000000001',
      channel,
      address,
      addressIndex: address,
      customerId: '00000000-0000-4000-8000-000000000002',
      status: 'linked',
      linkMethod: 'bank_verified_phone',
      assurance,
      createdAt: new Date(),
      revokedAt: null,
    });
    expect(
      toLinkedChannels([
        row('sms', '+393471234567', 'possession'),
        row('inapp', 'app-giulia', 'bogus'),
      ]),
    ).toEqual([
      {
        channel: 'sms',
        address: '+39•••••4567',
        assurance: 'possession',
        linkMethod: 'bank_verified_phone',
        identityId: '00000000-0000-4000-8000-000000000001',
      },
      {
        channel: 'inapp',
        address: 'ap•••••ia',
        assurance: 'none',
        linkMethod: 'bank_verified_phone',
        identityId: '00000000-0000-4000-8000-000000000001',
      },
    ]);
  });
});

describe('toCardViews', () => {
  it('keeps who blocked a card and why', () => {
    const views = toCardViews([
      {
        id: 'c1',
        brand: 'visa',
        last4: '4821',
        status: 'blocked',
        blockReason: 'Suspicious payment',
        blockedBy: 'fraud_engine',
        blockedAt: '2026-01-01T10:00:00.000Z',
      },
    ]);
    expect(views).toEqual([
      {
        id: 'c1',
        brand: 'visa',
        last4: '4821',
        status: 'blocked',
        blockReason: 'Suspicious payment',
        blockedBy: 'fraud_engine',
      },
    ]);
  });
});
