#!/usr/bin/env node
// `npm run build`: one production build per app (nest build, tsc builder), each shippable alone.
const { execFileSync } = require('node:child_process');
const { cpSync } = require('node:fs');
const { join } = require('node:path');
// The same Vite build as npm start's (TypeScript, run through swc like tools/start.js).
require('@swc-node/register');
const { buildConsoleWeb } = require('./web-build.ts');

const apps = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      'gateway-sms',
      'gateway-inapp',
      'gateway-whatsapp',
      'gateway-telegram',
      'gateway-email',
      'router',
      'console',
      'vault',
      'sandbox',
    ];
const nest = join(__dirname, '..', 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
for (const app of apps) {
  process.stdout.write(`building ${app}... `);
  execFileSync(process.execPath, [nest, 'build', app], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The migrations travel with every app that opens the database (store resolves them beside itself).
  cpSync(
    join('libs', 'store', 'migrations'),
    join('dist', 'apps', app, 'libs', 'store', 'migrations'),
    { recursive: true },
  );
  if (app === 'console') {
    // The web UI, where the console looks by default when run from the app's folder (dist/console-web).
    buildConsoleWeb(join(__dirname, '..', 'dist', 'apps', 'console', 'console-web'));
  }
  if (app === 'sandbox') {
    // The customer simulator's page files sit beside its compiled controller.
    cpSync(
      join('apps', 'sandbox', 'src', 'simulator', 'public'),
      join('dist', 'apps', 'sandbox', 'apps', 'sandbox', 'src', 'simulator', 'public'),
      { recursive: true },
    );
  }
  console.log(`dist/apps/${app}/apps/${app}/src/main.js`);
}
