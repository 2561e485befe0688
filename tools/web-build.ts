/**
 * Builds the console's web UI (apps/console/web → dist/console-web) with Vite in a child process:
 * Vite 8 is ESM-only, and jest and swc-node load this repo as CommonJS.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export const WEB_DIST_DIR = join(ROOT, 'dist', 'console-web');

export function buildConsoleWeb(outDir: string = WEB_DIST_DIR): string {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(ROOT, 'apps', 'console', 'web', 'vite.config.mjs');
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return outDir;
}
