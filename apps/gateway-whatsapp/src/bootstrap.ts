import { busTransport } from '@omnigate/bus';
import type { Provider } from '@nestjs/common';
import {
  managementOf,
  parseConfig,
  registerRawJsonParser,
  startHttpApp,
  webhookLimitsFrom,
} from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { GatewayWhatsAppEnv } from './config/gateway-whatsapp.config';
import { GatewayWhatsAppModule } from './gateway-whatsapp.module';

/**
 * Starts the WhatsApp gateway (tests and the all-in-one launcher call this in-process). `overrides`
 * replace providers (tests hand the web.js adapter a fake Client constructor; production never).
 */
export async function bootstrap(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Provider[] = [],
): Promise<RunningHttpApp> {
  const config = parseConfig(GatewayWhatsAppEnv, env);
  return startHttpApp(GatewayWhatsAppModule.forRoot(config, overrides), {
    name: 'gateway-whatsapp',
    port: config.WHATSAPP_GATEWAY_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    // The kit's send loop and consent feed: @OnStream handlers on the app's NATS connection.
    transport: busTransport({ queue: 'gateway-whatsapp' }),
    // Cloud API notifications batch up to a few hundred KB at most.
    bodyLimit: 1024 * 1024,
    webhooks: [webhookLimitsFrom(config, '/webhooks/', 1024 * 1024)],
    configure: (app) => registerRawJsonParser(app.getHttpAdapter().getInstance()),
  });
}
