import { accountKey, addressKey } from './login-keys.mapper';

describe('login keys', () => {
  it('counts an IPv4 client (also IPv4-mapped) by its address', () => {
    expect(addressKey('203.0.113.7')).toBe('address:203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('address:203.0.113.7');
  });

  it('counts an IPv6 client by its /64: rotating inside it is one key', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('address:2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('address:2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('address:0:0:0:0::/64');
  });

  it('keys an account by its id', () => {
    expect(accountKey('sam')).toBe('account:sam');
  });
});
