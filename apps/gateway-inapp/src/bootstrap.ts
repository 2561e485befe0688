import { IoAdapter } from '@nestjs/platform-socket.io';
import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { GatewayInappEnv } from './config/gateway-inapp.config';
import { GatewayInappModule } from './gateway-inapp.module';

/** Starts the in-app gateway: HTTP (health, metrics) and the app's socket.io endpoint on one port. */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(GatewayInappEnv, env);
  return startHttpApp(GatewayInappModule.forRoot(config), {
    name: 'gateway-inapp',
    port: config.INAPP_GATEWAY_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    // The kit's send loop and consent feed (@OnStream), the pushes and typing between instances
    // (@OnBroadcast), on the app's NATS connection.
    transport: busTransport({ queue: 'gateway-inapp' }),
    configure: (app) => {
      app.useWebSocketAdapter(new IoAdapter(app));
    },
  });
}
