import { startTracing } from '@omnigate/kit';
import { bootstrap } from './bootstrap';

function exitWithError(e: unknown): never {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

// Traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_SERVICE_NAME, else 'router').
void startTracing('router')
  .then(() => bootstrap())
  .catch(exitWithError);
