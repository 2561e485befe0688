import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp, webhookLimitsFrom } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { GatewaySmsEnv } from './config/gateway-sms.config';
import { GatewaySmsModule } from './gateway-sms.module';

/** Starts the SMS gateway (tests and the all-in-one launcher call this in-process). */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(GatewaySmsEnv, env);
  return startHttpApp(GatewaySmsModule.forRoot(config), {
    name: 'gateway-sms',
    port: config.SMS_GATEWAY_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    // The kit's send loop and consent feed: @OnStream handlers on the app's NATS connection.
    transport: busTransport({ queue: 'gateway-sms' }),
    // Twilio's webhooks are small forms (a 1600-character body at most).
    bodyLimit: 64 * 1024,
    webhooks: [webhookLimitsFrom(config, '/webhooks/', 64 * 1024)],
  });
}
