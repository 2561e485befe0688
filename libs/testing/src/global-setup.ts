import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openChildRegistry } from './child-registry';
import { assignTestRunId } from './test-run';

// Jest's globalSetup does not apply moduleNameMapper, so the databases are prepared by a child
// process that runs the TypeScript with the same path aliases as the apps.
// Both the integration and the e2e project name this file: jest calls it once per project, in one
// process; the databases are prepared once per run (about 7 s of a CI phase's start each).
const PREPARED_ENV = 'OMNIGATE_TEST_DBS_PREPARED';

export default function globalSetup(): void {
  openChildRegistry();
  assignTestRunId();
  if (process.env[PREPARED_ENV] === '1') return;
  process.env[PREPARED_ENV] = '1';
  execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'prepare-databases.ts')],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
}
