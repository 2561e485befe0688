import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp, webhookLimitsFrom } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { GatewayTelegramEnv } from './config/gateway-telegram.config';
import { GatewayTelegramModule } from './gateway-telegram.module';

/** Starts the Telegram gateway (tests and the all-in-one launcher call this in-process). */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(GatewayTelegramEnv, env);
  return startHttpApp(GatewayTelegramModule.forRoot(config), {
    name: 'gateway-telegram',
    port: config.TELEGRAM_GATEWAY_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    // The kit's send loop and consent feed: @OnStream handlers on the app's NATS connection.
    transport: busTransport({ queue: 'gateway-telegram' }),
    // An Update is small (a 4096-character text plus metadata).
    bodyLimit: 256 * 1024,
    // Telegram calls from a few addresses of its own: raise WEBHOOK_RATE_* for a busy bot.
    webhooks: [webhookLimitsFrom(config, '/webhooks/', 256 * 1024)],
  });
}
