import { parseCookies, serializeCookie } from './cookie.mapper';

describe('parseCookies', () => {
  it('reads name=value pairs separated by semicolons', () => {
    expect(parseCookies('og_session=abc.def; theme=dark;lang=it')).toEqual({
      og_session: 'abc.def',
      theme: 'dark',
      lang: 'it',
    });
  });

  it('is empty without a header and skips malformed pairs', () => {
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies('')).toEqual({});
    expect(parseCookies('novalue; =x; a b=1; ok=1; bad=a b; semi=a,b')).toEqual({ ok: '1' });
  });

  it('keeps the first of two equal names and unquotes a quoted value', () => {
    expect(parseCookies('og_session=first; og_session=second')).toEqual({ og_session: 'first' });
    expect(parseCookies('q="quoted"')).toEqual({ q: 'quoted' });
  });

  it('does not let a cookie named like an Object property pollute the result', () => {
    const c = parseCookies('__proto__=x; constructor=y');
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(c.constructor).toBe('y');
  });
});

describe('serializeCookie', () => {
  it('is HttpOnly, SameSite=Strict and Path=/ by default', () => {
    expect(serializeCookie('og_session', 'a.b')).toBe(
      'og_session=a.b; Path=/; HttpOnly; SameSite=Strict',
    );
  });

  it('adds Max-Age and Secure when asked; Max-Age=0 deletes', () => {
    expect(serializeCookie('og_session', 't', { maxAgeSec: 1800.7, secure: true })).toBe(
      'og_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=1800; Secure',
    );
    expect(serializeCookie('og_session', '', { maxAgeSec: 0 })).toContain('Max-Age=0');
    expect(serializeCookie('og_oidc', 'x', { path: '/api/auth/oidc', sameSite: 'Lax' })).toBe(
      'og_oidc=x; Path=/api/auth/oidc; HttpOnly; SameSite=Lax',
    );
  });

  it('refuses a value that would inject attributes', () => {
    expect(() => serializeCookie('og_session', 'x; Domain=evil.example')).toThrow(
      'invalid value for cookie og_session',
    );
    expect(() => serializeCookie('bad name', 'x')).toThrow('invalid cookie name');
  });
});
