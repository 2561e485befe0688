import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Swagger UI at /docs without @fastify/static: that plugin requires an ESM-only dependency
 * (content-disposition 1.x), which jest on Node 20 cannot load, and Nest then exits the process.
 * A fixed list of swagger-ui-dist files, read once; the page has no inline script.
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

export function swaggerUiHtml(base: string, title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="UTF-8"><title>${title}</title>`,
    `<link rel="stylesheet" type="text/css" href="${base}/swagger-ui.css">`,
    `<link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32"></head>`,
    '<body><div id="swagger-ui"></div>',
    `<script src="${base}/swagger-ui-bundle.js"></script>`,
    `<script src="${base}/swagger-ui-standalone-preset.js"></script>`,
    `<script src="${base}/swagger-ui-init.js"></script>`,
    '</body></html>',
  ].join('\n');
}

export function swaggerUiInitJs(documentUrl: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'BaseLayout',
  });
};
`;
}

function swaggerUiDistDir(): string {
  // swagger-ui-dist comes with @nestjs/swagger: resolve it from there, hoisted or not.
  const from = dirname(require.resolve('@nestjs/swagger'));
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [from] }));
}

export function mountSwaggerUi(
  fastify: FastifyInstance,
  opts: { path: string; documentUrl: string; title: string },
): void {
  const dir = swaggerUiDistDir();
  const cache = new Map<string, Buffer>();
  const html = swaggerUiHtml(opts.path, opts.title);
  const init = swaggerUiInitJs(opts.documentUrl);
  fastify.get(opts.path, async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  fastify.get(`${opts.path}/swagger-ui-init.js`, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').send(init),
  );
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`${opts.path}/${file}`, async (_req, reply) => {
      let body = cache.get(file);
      if (!body) {
        body = await readFile(join(dir, file));
        cache.set(file, body);
      }
      return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
    });
  }
}
