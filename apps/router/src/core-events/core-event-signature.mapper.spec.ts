import { signCoreEvent, verifyCoreSignature } from './core-event-signature.mapper';

const SECRET = 'core-events-test-secret';
const BODY = Buffer.from('{"id":"evt_1","kind":"sim_swap"}');
const NOW = 1_763_900_000;

describe('verifyCoreSignature', () => {
  it('matches a known vector: HMAC-SHA256 of "<t>.<body>" in hex', () => {
    // printf '1763900000.{"id":"evt_1","kind":"sim_swap"}' | openssl dgst -sha256 -hmac core-events-test-secret
    expect(signCoreEvent(SECRET, BODY, NOW)).toBe(
      't=1763900000,v1=bfd20153c24f4b6af40c12bbc32b2bab574ee255b433b919596f1ca3a1107764',
    );
  });

  it('accepts the right signature within the window, either side of now', () => {
    const header = signCoreEvent(SECRET, BODY, NOW);
    expect(verifyCoreSignature(header, BODY, SECRET, NOW)).toEqual({ ok: true, timestamp: NOW });
    expect(verifyCoreSignature(header, BODY, SECRET, NOW + 300).ok).toBe(true);
    expect(verifyCoreSignature(header, BODY, SECRET, NOW - 300).ok).toBe(true);
  });

  it('refuses a replay older than five minutes, and a timestamp far in the future', () => {
    const header = signCoreEvent(SECRET, BODY, NOW);
    expect(verifyCoreSignature(header, BODY, SECRET, NOW + 301)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyCoreSignature(header, BODY, SECRET, NOW - 301)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a changed body, another key, or a re-dated header', () => {
    const header = signCoreEvent(SECRET, BODY, NOW);
    const other = Buffer.from('{"id":"evt_1","kind":"new_device"}');
    expect(verifyCoreSignature(header, other, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyCoreSignature(header, BODY, 'another-secret-0000', NOW)).toMatchObject({
      reason: 'mismatch',
    });
    const redated = header.replace(`t=${NOW}`, `t=${NOW + 60}`);
    expect(verifyCoreSignature(redated, BODY, SECRET, NOW + 60)).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('names what is missing or malformed', () => {
    expect(verifyCoreSignature(undefined, BODY, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(verifyCoreSignature('', BODY, SECRET, NOW)).toMatchObject({ reason: 'missing' });
    for (const bad of ['v1=abc', `t=${NOW}`, `t=${NOW},v1=XYZ`, `t=abc,v1=${'0'.repeat(64)}`]) {
      expect(verifyCoreSignature(bad, BODY, SECRET, NOW)).toMatchObject({ reason: 'malformed' });
    }
    const header = signCoreEvent(SECRET, BODY, NOW);
    expect(verifyCoreSignature(header, undefined, SECRET, NOW)).toMatchObject({
      reason: 'malformed',
    });
    expect(verifyCoreSignature(header, BODY, undefined, NOW)).toMatchObject({
      reason: 'not_configured',
    });
  });
});
