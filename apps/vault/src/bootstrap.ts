import { busTransport } from '@omnigate/bus';
import { managementOf, parseConfig, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { CARDS_DURABLE } from './cards/sealed-card.handler';
import { VaultEnv } from './config/vault.config';
import { VAULT_RPC_QUEUE } from './reveal/vault-rpc.handler';
import { VaultModule } from './vault.module';

/** Starts the card vault. HTTP: /health only (metrics on the management port); its work arrives on the bus. */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<RunningHttpApp> {
  const config = parseConfig(VaultEnv, env);
  return startHttpApp(VaultModule.forRoot(config), {
    name: 'vault',
    port: config.VAULT_PORT,
    host: config.HOST,
    management: managementOf(config),
    logLevel: config.LOG_LEVEL,
    bodyLimit: 1024,
    transport: busTransport({
      queue: VAULT_RPC_QUEUE,
      consumers: { [CARDS_DURABLE]: { concurrency: config.VAULT_CONCURRENCY } },
    }),
  });
}
