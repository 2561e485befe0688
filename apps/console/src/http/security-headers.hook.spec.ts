import { API_CSP, DOCS_CSP, WEB_CSP, securityHeadersFor } from './security-headers.hook';

describe('securityHeadersFor', () => {
  it('gives the API a strict CSP, no caching and the basic headers', () => {
    const h = securityHeadersFor('/api/conversations?status=open');
    expect(h).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': API_CSP,
      'cache-control': 'no-store',
    });
    expect(securityHeadersFor('/api/auth/oidc/callback?code=x')['content-security-policy']).toBe(
      API_CSP,
    );
  });

  it('lets Swagger UI load its own assets only', () => {
    expect(securityHeadersFor('/docs')['content-security-policy']).toBe(DOCS_CSP);
    expect(securityHeadersFor('/docs/swagger-ui.css')['content-security-policy']).toBe(DOCS_CSP);
    expect(securityHeadersFor('/docs-json')['content-security-policy']).toBe(API_CSP);
    expect(DOCS_CSP).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('gives the web UI its own CSP: own scripts and styles, no inline code, sockets allowed', () => {
    for (const path of ['/', '/assets/index-3f2a.js', '/conversations/x?y=1', '/docsx', '/apix']) {
      expect({ path, csp: securityHeadersFor(path)['content-security-policy'] }).toEqual({
        path,
        csp: WEB_CSP,
      });
    }
    expect(WEB_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(WEB_CSP).not.toContain('unsafe-inline');
    expect(securityHeadersFor('/')['x-frame-options']).toBe('DENY');
  });

  it('does not mark health or the web UI as no-store', () => {
    expect(securityHeadersFor('/health')['cache-control']).toBeUndefined();
    expect(securityHeadersFor('/')['cache-control']).toBeUndefined();
  });
});
