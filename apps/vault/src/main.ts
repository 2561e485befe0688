import { bootstrap } from './bootstrap';

function exitWithError(e: unknown): never {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

void bootstrap().catch(exitWithError);
