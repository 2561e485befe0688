import type { IncomingMessage } from 'node:http';
import { ConfigError } from './app-error';
import { AppEnv } from './common.config';
import { parseConfig } from './config';
import { TrustedProxies, proxyEntryProblem } from './trusted-proxies';

function req(peer: string, xff?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  } as unknown as IncomingMessage;
}

describe('TrustedProxies', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '192.0.2.10', 'fd00::/8']);

  it('trusts listed addresses and blocks, v4, v6 and v4 as seen on a dual-stack socket', () => {
    expect(proxies.trusts('10.1.2.3')).toBe(true);
    expect(proxies.trusts('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.trusts('192.0.2.10')).toBe(true);
    expect(proxies.trusts('fd12::1')).toBe(true);
    expect(proxies.trusts('192.0.2.11')).toBe(false);
    expect(proxies.trusts('127.0.0.1')).toBe(false);
    expect(proxies.trusts('not-an-ip')).toBe(false);
    expect(proxies.trusts(undefined)).toBe(false);
  });

  it('the client is the TCP peer when the peer is not a trusted proxy, whatever the header says', () => {
    expect(proxies.clientOf(req('203.0.113.5', '1.2.3.4'))).toBe('203.0.113.5');
    expect(proxies.clientOf(req('::ffff:203.0.113.5', '1.2.3.4'))).toBe('203.0.113.5');
    expect(new TrustedProxies([]).clientOf(req('10.1.2.3', '1.2.3.4'))).toBe('10.1.2.3');
  });

  it('behind trusted proxies, the first untrusted hop from the right', () => {
    expect(proxies.clientOf(req('10.0.0.1', '198.51.100.7'))).toBe('198.51.100.7');
    expect(proxies.clientOf(req('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.2.2.2'))).toBe(
      '198.51.100.7',
    );
    expect(proxies.clientOf(req('10.0.0.1', ['6.6.6.6', '198.51.100.8']))).toBe('198.51.100.8');
    // Only proxies all the way: the leftmost hop is all there is.
    expect(proxies.clientOf(req('10.0.0.1', '10.3.3.3'))).toBe('10.3.3.3');
    expect(proxies.clientOf(req('10.0.0.1'))).toBe('10.0.0.1');
  });

  it('fastifyTrust is false with no proxies (Fastify then ignores X-Forwarded-For)', () => {
    expect(new TrustedProxies([]).fastifyTrust()).toBe(false);
    const fn = proxies.fastifyTrust();
    expect(fn && fn('10.9.9.9', 0)).toBe(true);
  });

  it.each([
    ['10.0.0.7', null],
    ['10.0.0.0/8', null],
    ['2001:db8::/32', null],
    ['10.0.0.0/33', /prefix must be 0-32/],
    ['0.0.0.0/0', /would trust every peer/],
    ['::/0', /would trust every peer/],
    ['proxy.internal', /not an IP address or CIDR block/],
    ['10.0.0.0/8/8', /not an IP address/],
    ['10.0.0.0/x', /prefix must be/],
  ])('entry %s', (entry, problem) => {
    const got = proxyEntryProblem(entry);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });
});

describe('TRUSTED_PROXIES in AppEnv', () => {
  it('defaults to none and splits a comma-separated list', () => {
    expect(parseConfig(AppEnv, {}).TRUSTED_PROXIES).toEqual([]);
    expect(
      parseConfig(AppEnv, { TRUSTED_PROXIES: ' 10.0.0.0/8 , 192.0.2.1,' }).TRUSTED_PROXIES,
    ).toEqual(['10.0.0.0/8', '192.0.2.1']);
  });

  it('refuses at start with every bad entry listed', () => {
    let problems: string[] = [];
    try {
      parseConfig(AppEnv, { TRUSTED_PROXIES: 'lb.internal,0.0.0.0/0,10.0.0.1' });
    } catch (e) {
      if (e instanceof ConfigError) problems = e.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^TRUSTED_PROXIES: "lb.internal" is not an IP address/),
      expect.stringMatching(/^TRUSTED_PROXIES: "0.0.0.0\/0" would trust every peer/),
    ]);
  });
});
