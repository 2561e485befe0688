import {
  managementOf,
  parseConfig,
  registerRawJsonParser,
  startHttpApp,
  webhookLimitsFrom,
} from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { busTransport } from '@omnigate/bus';
import { RouterEnv } from './config/router.config';
import { ROUTER_QUEUE, routerConsumers } from './router-consumers.config';
import { RouterModule } from './router.module';

/** Core events are a few ids: 16 KiB is plenty (docs/core-banking.openapi.json). */
const CORE_EVENT_BODY_LIMIT = 16 * 1024;

/**
 * Starts the router. HTTP: health, metrics and the bank's signed core-event webhook
 * (POST /core-banking/events); the rest of its work arrives on the bus (BusTransport).
 */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(RouterEnv, env);
  return startHttpApp(RouterModule.forRoot(config), {
    name: 'router',
    port: config.ROUTER_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    webhooks: [webhookLimitsFrom(config, '/core-banking/', CORE_EVENT_BODY_LIMIT)],
    // The bank signs the exact bytes of each event.
    configure: (app) => registerRawJsonParser(app.getHttpAdapter().getInstance()),
    transport: busTransport({ queue: ROUTER_QUEUE, consumers: routerConsumers(config) }),
  });
}
