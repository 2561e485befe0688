#!/usr/bin/env node
// Runs tools/start.ts with the same path aliases as the apps (TypeScript compiled on the fly by swc).
require('@swc-node/register');
require('./start.ts');
