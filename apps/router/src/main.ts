import { bootstrap } from './bootstrap';

function exitWithError(e: unknown): never {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

void bootstrap().catch(exitWithError);
