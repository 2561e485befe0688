import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { ConsoleEnv } from './config/console.config';
import { ConsoleModule } from './console.module';
import type { ConsoleOverrides } from './console.module';
import { mountOpenApi } from './http/openapi.setup';
import { registerSecurityHeaders } from './http/security-headers.hook';
import { defaultWebDir, mountWebUi } from './http/web-ui.assets';

/** Starts the console (HTTP API, /docs, socket.io /live) on CONSOLE_PORT. */
export async function bootstrap(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConsoleOverrides = {},
): Promise<RunningHttpApp> {
  const config = parseConfig(ConsoleEnv, env);
  return startHttpApp(ConsoleModule.forRoot(config, overrides), {
    name: 'console',
    port: config.CONSOLE_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    bodyLimit: 64 * 1024,
    // The live relay's broadcasts; the console answers no requests (its queue group is unused).
    transport: busTransport({ queue: 'console' }),
    configure: (app: NestFastifyApplication) => {
      registerSecurityHeaders(app.getHttpAdapter().getInstance());
      mountOpenApi(app);
      mountWebUi(app.getHttpAdapter().getInstance(), config.CONSOLE_WEB_DIR ?? defaultWebDir());
    },
  });
}
