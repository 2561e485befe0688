import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';

/** Strict: only same-origin script, style and fetch; nothing inline, no framing, no forms elsewhere. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS = ['index.html', 'simulator.js', 'simulator.css', 'favicon.svg'] as const;
type Asset = (typeof ASSETS)[number];

/**
 * The page's files: beside this file when run from source (`npm start`, tests), else from the
 * source tree (a `nest build` output does not copy non-TypeScript files).
 */
function loadAssets(): Record<Asset, string> {
  const dirs = [
    join(__dirname, 'public'),
    join(process.cwd(), 'apps/sandbox/src/simulator/public'),
  ];
  const dir = dirs.find((d) => existsSync(join(d, 'index.html')));
  if (!dir) throw new Error(`simulator page files not found in ${dirs.join(' or ')}`);
  return Object.fromEntries(ASSETS.map((a) => [a, readFileSync(join(dir, a), 'utf8')])) as Record<
    Asset,
    string
  >;
}

/** GET /simulator: the customer simulator page (plain HTML and one same-origin script). */
@Controller('simulator')
export class SimulatorPageController {
  private readonly assets = loadAssets();

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('x-frame-options', 'DENY')
  @Header('cache-control', 'no-store')
  page(): string {
    return this.assets['index.html'];
  }

  @Get('simulator.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  script(): string {
    return this.assets['simulator.js'];
  }

  @Get('simulator.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  style(): string {
    return this.assets['simulator.css'];
  }

  @Get('favicon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('x-content-type-options', 'nosniff')
  @Header('content-security-policy', "default-src 'none'")
  icon(): string {
    return this.assets['favicon.svg'];
  }
}
