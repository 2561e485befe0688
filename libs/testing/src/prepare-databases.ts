import { prepareTestDatabases } from './test-database';

prepareTestDatabases().catch((e: unknown) => {
  console.error('could not prepare the test databases:', e);
  process.exit(1);
});
