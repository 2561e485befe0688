import { OutboundMessageV1Schema } from '../messages/outbound-message.v1';
import {
  CONSENT_PURPOSES,
  DEFAULT_CONSENT,
  consentChangesForKeyword,
  effectiveConsents,
  isSendAllowed,
} from './consent-policy';

describe('consent policy', () => {
  it('has the purposes of OutboundMessageV1', () => {
    expect(OutboundMessageV1Schema.shape.purpose.options).toEqual([...CONSENT_PURPOSES]);
  });

  it('allows service and fraud alerts by default, marketing only on opt-in', () => {
    expect(isSendAllowed('service', null)).toBe(true);
    expect(isSendAllowed('fraud_alert', undefined)).toBe(true);
    expect(isSendAllowed('marketing', null)).toBe(false);
    expect(DEFAULT_CONSENT).toEqual({ service: true, fraud_alert: true, marketing: false });
  });

  it('follows a stored decision over the default', () => {
    expect(isSendAllowed('service', { granted: false })).toBe(false);
    expect(isSendAllowed('fraud_alert', { granted: false })).toBe(false);
    expect(isSendAllowed('marketing', { granted: true })).toBe(true);
  });

  it('STOP revokes every purpose on its channel', () => {
    expect(consentChangesForKeyword('optout')).toEqual([
      { purpose: 'service', granted: false },
      { purpose: 'fraud_alert', granted: false },
      { purpose: 'marketing', granted: false },
    ]);
  });

  it('START restores service and fraud alerts, not marketing', () => {
    const changes = consentChangesForKeyword('optin');
    expect(changes).toEqual([
      { purpose: 'service', granted: true },
      { purpose: 'fraud_alert', granted: true },
    ]);
    expect(changes.some((c) => c.purpose === 'marketing')).toBe(false);
  });

  it('fills the channel × purpose matrix with defaults where nothing is stored', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const all = effectiveConsents(
      [{ channel: 'sms', purpose: 'service', granted: false, source: 'keyword', updatedAt: at }],
      ['sms', 'email'],
    );
    expect(all).toHaveLength(6);
    expect(all[0]).toEqual({
      channel: 'sms',
      purpose: 'service',
      granted: false,
      source: 'keyword',
      updatedAt: at,
    });
    expect(all.find((c) => c.channel === 'email' && c.purpose === 'marketing')).toEqual({
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'default',
      updatedAt: null,
    });
    expect(
      all
        .filter((c) => c.source === 'default')
        .every((c) => c.granted === DEFAULT_CONSENT[c.purpose]),
    ).toBe(true);
  });
});
