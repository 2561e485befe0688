import { parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { SandboxEnv } from './config/sandbox.config';
import { SandboxModule } from './sandbox.module';

/** Starts the sandbox (tests and the all-in-one launcher call this in-process). */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(SandboxEnv, env);
  return startHttpApp(SandboxModule.forRoot(config), {
    name: 'sandbox',
    port: config.SANDBOX_PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
  });
}
