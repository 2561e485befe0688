import { killRegisteredChildren } from './child-registry';
import { dropTestDatabases } from './test-run';

export default async function globalTeardown(): Promise<void> {
  // Per-file databases and NATS servers clean up after themselves; a failed test may not have.
  const left = killRegisteredChildren();
  if (left > 0) {
    process.stderr.write(`global teardown: killed ${left} nats-server(s) left running\n`);
  }
  await dropTestDatabases().catch((e: unknown) => {
    process.stderr.write(
      `global teardown: could not drop the run's template database: ${String(e)}\n`,
    );
  });
}
