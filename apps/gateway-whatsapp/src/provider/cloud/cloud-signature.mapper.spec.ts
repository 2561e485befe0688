import { hubSignature, isValidHubSignature, isValidVerifyToken } from './cloud-signature.mapper';

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it('accepts the HMAC-SHA256 of the exact bytes with the app secret', () => {
    expect(isValidHubSignature('app-secret', body, hubSignature('app-secret', body))).toBe(true);
    // Meta sends lowercase hex; an uppercase copy is the same signature.
    expect(
      isValidHubSignature(
        'app-secret',
        body,
        hubSignature('app-secret', body).toUpperCase().replace('SHA256', 'sha256'),
      ),
    ).toBe(true);
  });

  it.each([
    ['another secret', hubSignature('other-secret', body)],
    ['another body', hubSignature('app-secret', Buffer.from('{}'))],
    ['sha1', 'sha1=' + 'a'.repeat(40)],
    ['a truncated value', hubSignature('app-secret', body).slice(0, 20)],
    ['nothing', undefined],
  ])('refuses %s', (_what, header) => {
    expect(isValidHubSignature('app-secret', body, header)).toBe(false);
  });
});

describe('verify token', () => {
  it('matches only the exact token', () => {
    expect(isValidVerifyToken('my-verify-token', 'my-verify-token')).toBe(true);
    expect(isValidVerifyToken('my-verify-token', 'my-verify-toke')).toBe(false);
    expect(isValidVerifyToken('my-verify-token', undefined)).toBe(false);
    expect(isValidVerifyToken('my-verify-token', ['my-verify-token'])).toBe(false);
  });
});
