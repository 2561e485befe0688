import { parseAppConsentBody } from './consent-body.mapper';

describe('parseAppConsentBody', () => {
  it('accepts one channel, purpose and decision', () => {
    expect(parseAppConsentBody({ channel: 'sms', purpose: 'marketing', granted: false })).toEqual({
      ok: true,
      value: { channel: 'sms', purpose: 'marketing', granted: false },
    });
  });

  it.each([
    [undefined, /body/],
    ['granted', /body/],
    [{ channel: 'fax', purpose: 'marketing', granted: false }, /channel:/],
    [{ channel: 'sms', purpose: 'spam', granted: false }, /purpose:/],
    [{ channel: 'sms', purpose: 'service', granted: 'no' }, /granted: must be true or false/],
    [{ channel: 'sms', purpose: 'service', granted: true, appUserId: 'x' }, /appUserId/],
  ])('refuses %j with a reason', (body, reason) => {
    const r = parseAppConsentBody(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
