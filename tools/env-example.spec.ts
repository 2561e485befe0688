import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { envSchemaKeys } from '@omnigate/kit';
import { ConsoleEnv } from '../apps/console/src/config/console.config';
import { GatewayEmailEnv } from '../apps/gateway-email/src/config/gateway-email.config';
import { GatewayInappEnv } from '../apps/gateway-inapp/src/config/gateway-inapp.config';
import { GatewaySmsEnv } from '../apps/gateway-sms/src/config/gateway-sms.config';
import { GatewayTelegramEnv } from '../apps/gateway-telegram/src/config/gateway-telegram.config';
import { GatewayWhatsAppEnv } from '../apps/gateway-whatsapp/src/config/gateway-whatsapp.config';
import { RouterEnv } from '../apps/router/src/config/router.config';
import { VaultEnv } from '../apps/vault/src/config/vault.config';

/** The deployables and the schema each parses at start. */
const APPS: Record<string, z.ZodType> = {
  router: RouterEnv,
  console: ConsoleEnv,
  vault: VaultEnv,
  'gateway-sms': GatewaySmsEnv,
  'gateway-inapp': GatewayInappEnv,
  'gateway-telegram': GatewayTelegramEnv,
  'gateway-whatsapp': GatewayWhatsAppEnv,
  'gateway-email': GatewayEmailEnv,
};

/** `KEY=value` and `# KEY=value` lines: the keys the example documents. */
function exampleKeys(app: string): string[] {
  const text = readFileSync(join(__dirname, '..', 'apps', app, '.env.example'), 'utf8');
  return [...text.matchAll(/^(?:#\s?)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

describe.each(Object.keys(APPS))('apps/%s/.env.example', (app) => {
  const schemaKeys = envSchemaKeys(APPS[app]!);

  it('lists every key the config schema reads, once', () => {
    const listed = exampleKeys(app);
    expect(schemaKeys.filter((k) => !listed.includes(k))).toEqual([]);
    expect(listed.filter((k, i) => listed.indexOf(k) !== i)).toEqual([]);
  });

  it('lists no key the app does not read (a stale or misspelt name)', () => {
    expect(exampleKeys(app).filter((k) => !schemaKeys.includes(k))).toEqual([]);
  });

  it('reads a real schema (at least the bus keys and the management port)', () => {
    expect(schemaKeys).toEqual(
      expect.arrayContaining(['NATS_URL', 'NATS_USER', 'MANAGEMENT_PORT']),
    );
  });
});
