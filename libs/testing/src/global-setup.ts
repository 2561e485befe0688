import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openChildRegistry } from './child-registry';
import { assignTestRunId } from './test-run';

// Jest's globalSetup does not apply moduleNameMapper, so the databases are prepared by a child
// process that runs the TypeScript with the same path aliases as the apps.
export default function globalSetup(): void {
  openChildRegistry();
  assignTestRunId();
  execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'prepare-databases.ts')],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
}
