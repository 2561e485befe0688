import { parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { VaultEnv } from './config/vault.config';
import { VaultModule } from './vault.module';

/** Starts the card vault. HTTP: /health and /metrics only; its work arrives on the bus. */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(VaultEnv, env);
  return startHttpApp(VaultModule.forRoot(config), {
    name: 'vault',
    port: config.VAULT_PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimit: 1024,
  });
}
