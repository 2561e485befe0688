import { API_CSP, DOCS_CSP, securityHeadersFor } from './security-headers.hook';

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
  });

  it('lets Swagger UI load its own assets only', () => {
    expect(securityHeadersFor('/docs')['content-security-policy']).toBe(DOCS_CSP);
    expect(securityHeadersFor('/docs/swagger-ui.css')['content-security-policy']).toBe(DOCS_CSP);
    expect(securityHeadersFor('/docs-json')['content-security-policy']).toBe(API_CSP);
    expect(securityHeadersFor('/docsx')['content-security-policy']).toBe(API_CSP);
    expect(DOCS_CSP).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('does not mark health or docs as no-store', () => {
    expect(securityHeadersFor('/health')['cache-control']).toBeUndefined();
  });
});
