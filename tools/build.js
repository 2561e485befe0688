#!/usr/bin/env node
// `npm run build`: one production build per app (nest build, tsc builder), each shippable alone.
const { execFileSync } = require('node:child_process');
const { cpSync } = require('node:fs');
const { join } = require('node:path');

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
  console.log(`dist/apps/${app}/apps/${app}/src/main.js`);
}
