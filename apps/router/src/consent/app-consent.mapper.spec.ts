import { AppConsentsResponseV1Schema, CHANNELS, CONSENT_PURPOSES } from '@omnigate/contracts';
import type { ConsentRow } from '@omnigate/store';
import { appConsentEventId, toAppConsents } from './app-consent.mapper';

const customerId = '5c0e2a1b-7d3f-4e5a-9b8c-1d2e3f4a5b6c';
const row = (over: Partial<ConsentRow>): ConsentRow => ({
  customerId,
  channel: 'sms',
  purpose: 'marketing',
  granted: true,
  source: 'app',
  updatedBy: null,
  updatedAt: new Date('2026-03-02T10:16:00.000Z'),
  ...over,
});

describe('toAppConsents', () => {
  it('shows the defaults on every channel and purpose when nothing was decided', () => {
    const view = toAppConsents([]);
    expect(AppConsentsResponseV1Schema.parse(view)).toEqual(view);
    expect(view.consents).toHaveLength(CHANNELS.length * CONSENT_PURPOSES.length);
    expect(view.consents.find((c) => c.channel === 'email' && c.purpose === 'marketing')).toEqual({
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'default',
      updatedAt: null,
    });
    expect(view.consents.filter((c) => c.purpose !== 'marketing').every((c) => c.granted)).toBe(
      true,
    );
  });

  it('shows stored decisions with their source and time, and skips unknown channels', () => {
    const view = toAppConsents([
      row({}),
      row({ channel: 'whatsapp', purpose: 'service', granted: false, source: 'keyword' }),
      row({ channel: 'fax' }),
    ]);
    expect(view.consents).toHaveLength(CHANNELS.length * CONSENT_PURPOSES.length);
    expect(view.consents).toContainEqual({
      channel: 'sms',
      purpose: 'marketing',
      granted: true,
      source: 'app',
      updatedAt: '2026-03-02T10:16:00.000Z',
    });
    expect(view.consents).toContainEqual(
      expect.objectContaining({ channel: 'whatsapp', purpose: 'service', granted: false }),
    );
  });
});

describe('appConsentEventId', () => {
  it('names the customer, channel, purpose and time of the decision', () => {
    const at = new Date('2026-03-02T10:16:00.000Z');
    const id = appConsentEventId(customerId, { channel: 'sms', purpose: 'marketing', at });
    expect(id).toBe(`consent:${customerId}:sms:marketing:app:${at.getTime()}`);
    expect(appConsentEventId(customerId, { channel: 'sms', purpose: 'service', at })).not.toBe(id);
  });
});
