// The agent console's web UI: `vite build` writes dist/console-web, which apps/console serves at /.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // React's automatic JSX runtime: Vite 8 (oxc) transforms .tsx without a plugin.
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      '@omnigate/contracts': fileURLToPath(new URL('../../../libs/contracts/src', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/console-web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the console's CSP allows 'self' only.
    assetsInlineLimit: 0,
  },
});
