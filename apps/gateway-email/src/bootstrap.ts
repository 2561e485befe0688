import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { GatewayEmailEnv } from './config/gateway-email.config';
import { GatewayEmailModule } from './gateway-email.module';
import type { EmailModuleOverrides } from './gateway-email.module';
import { SmtpListenerService } from './inbound/smtp-listener.service';

export interface RunningEmailGateway extends RunningHttpApp {
  /** The SMTP listener's port (0 when inbound is IMAP). */
  smtpPort: number;
}

/** Starts the email gateway (tests and the all-in-one launcher call this in-process). */
export async function bootstrap(
  env: NodeJS.ProcessEnv = process.env,
  overrides: EmailModuleOverrides = {},
): Promise<RunningEmailGateway> {
  const config = parseConfig(GatewayEmailEnv, env);
  const running = await startHttpApp(GatewayEmailModule.forRoot(config, overrides), {
    name: 'gateway-email',
    port: config.EMAIL_GATEWAY_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    // The kit's send loop and consent feed: @OnStream handlers on the app's NATS connection.
    transport: busTransport({ queue: 'gateway-email' }),
    // HTTP serves only /health (metrics on the management port): mail arrives by SMTP or IMAP.
    bodyLimit: 16 * 1024,
  });
  return { ...running, smtpPort: running.app.get(SmtpListenerService).port };
}
