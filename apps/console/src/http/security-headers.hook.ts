import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The API returns JSON only: nothing may load, frame or submit from it. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI: its own scripts and styles (one inline <style>), nothing from elsewhere. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web UI (Vite build at `/`): its own bundled scripts and styles only, no inline code, images
 * also as data: URLs, the API and the /live socket on this origin.
 */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function cspFor(path: string): string {
  if (path === '/docs' || path.startsWith('/docs/')) return DOCS_CSP;
  if (path === '/api' || path.startsWith('/api/') || path === '/docs-json') return API_CSP;
  return WEB_CSP;
}

/** Headers for one response, by path. Pure. */
export function securityHeadersFor(url: string): Record<string, string> {
  const path = url.split('?', 1)[0] ?? '';
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'content-security-policy': cspFor(path),
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
