import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where `npm run build:web` writes the UI, unless CONSOLE_WEB_DIR says otherwise. */
export function defaultWebDir(): string {
  return resolve(process.cwd(), 'dist', 'console-web');
}

export const WEB_UI_NOT_BUILT =
  'The console web UI is not built. Run `npm run build:web` (npm start does it for you), or set CONSOLE_WEB_DIR.';

/**
 * The Vite build of apps/console/web at `/`: index.html and the content-hashed files under
 * /assets, read once at start (a fixed list: no path from the request reaches the file system).
 * Without @fastify/static for the reason in swagger-ui.assets.ts.
 */
export function mountWebUi(fastify: FastifyInstance, dir: string): { built: boolean } {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    fastify.get('/', async (_req, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send(WEB_UI_NOT_BUILT),
    );
    return { built: false };
  }
  const html = readFileSync(index);
  fastify.get('/', async (_req, reply) =>
    reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(html),
  );
  const assets = join(dir, 'assets');
  const files = existsSync(assets) ? readdirSync(assets) : [];
  for (const file of files) {
    const body = readFileSync(join(assets, file));
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    fastify.get(`/assets/${file}`, async (_req, reply) =>
      // The names carry a content hash: a new build means new names.
      reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body),
    );
  }
  return { built: true };
}
