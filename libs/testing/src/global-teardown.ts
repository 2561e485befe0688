import { killRegisteredChildren } from './child-registry';

export default function globalTeardown(): void {
  // Per-file databases and NATS servers clean up after themselves; a failed test may not have.
  const left = killRegisteredChildren();
  if (left > 0) {
    process.stderr.write(`global teardown: killed ${left} nats-server(s) left running\n`);
  }
}
