import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The API returns JSON only: nothing may load, frame or submit from it. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI: its own scripts and styles (one inline <style>), nothing from elsewhere. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers for one response, by path. Pure. */
export function securityHeadersFor(url: string): Record<string, string> {
  const path = url.split('?', 1)[0] ?? '';
  const docs = path === '/docs' || path.startsWith('/docs/');
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'content-security-policy': docs ? DOCS_CSP : API_CSP,
  };
  // Agent data and session tokens must not sit in a shared or browser cache.
  if (path.startsWith('/api/')) headers['cache-control'] = 'no-store';
  return headers;
}

/** On every response, errors and 404s included (register before the routes). */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    void reply.headers(securityHeadersFor(req.url));
    return payload;
  });
}
