import { startTracing } from '@omnigate/kit';
import { bootstrap } from './bootstrap';

function exitWithError(e: unknown): never {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

// Traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTEL_SERVICE_NAME, else 'gateway-whatsapp').
void startTracing('gateway-whatsapp')
  .then(() => bootstrap())
  .catch(exitWithError);
