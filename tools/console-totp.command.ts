import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { newTotpSecret, totpCode, totpUri } from '@omnigate/crypto';
import { DatabaseEnv, KitModule, databaseConfigFrom, parseConfig } from '@omnigate/kit';
import { ConsoleStoreModule, ConsoleTotpRepository } from '@omnigate/store';

const ISSUER = 'Omnigate';

/** The console's TOTP table through its own store module (the KMS seals and opens the secret). */
async function withTotpStore<T>(
  env: NodeJS.ProcessEnv,
  fn: (repo: ConsoleTotpRepository) => Promise<T>,
): Promise<T> {
  const db = databaseConfigFrom(parseConfig(DatabaseEnv, env), { blindIndex: false });
  @Module({ imports: [KitModule, ConsoleStoreModule.forRoot(db)] })
  class TotpCliModule {}
  const app = await NestFactory.createApplicationContext(TotpCliModule, { logger: false });
  try {
    return await fn(app.get(ConsoleTotpRepository));
  } finally {
    await app.close();
  }
}

/** `totp <id>`: a new secret in the database (replacing any), and the URI to scan. */
export async function enrollTotp(env: NodeJS.ProcessEnv, id: string): Promise<string> {
  const secret = newTotpSecret();
  const sealed = await withTotpStore(env, async (repo) => {
    await repo.enroll(id, secret, new Date());
    return repo.encrypted;
  });
  return [
    `TOTP enrolled for ${id}${sealed ? ' (sealed with DATA_KEKS)' : ' (DATA_KEKS not set: stored unencrypted)'}.`,
    'Scan or paste into an authenticator app; it is shown only now:',
    totpUri(ISSUER, id, secret),
  ].join('\n');
}

/** `code <id>`: the current code, from the development secrets or the database. */
export async function currentCode(env: NodeJS.ProcessEnv, id: string): Promise<string> {
  const devFile = join(env.DATA_DIR ?? '.data', 'dev-secrets.json');
  if (existsSync(devFile)) {
    const dev = JSON.parse(readFileSync(devFile, 'utf8')) as {
      consoleTotpSecrets?: Record<string, string>;
    };
    const secret = dev.consoleTotpSecrets?.[id];
    if (secret) return totpCode(secret, Date.now());
  }
  const secret = await withTotpStore(env, (repo) => repo.secretOf(id));
  if (!secret) throw new Error(`${id} has no TOTP secret (npm run console:account -- totp ${id})`);
  return totpCode(secret, Date.now());
}
