/**
 * `npm run vault:rotate [-- --force]`: re-seals every stored card number to the vault's current key
 * (the first of VAULT_PRIVATE_KEYS), so an older private key can then be removed. Opens the
 * database the way the vault does (DATABASE_URL, or the embedded PGlite under DATA_DIR; stop
 * `npm start` first, PGlite is single-process). Needs the vault's private keys, not its token key.
 * Exit 0: every card is on the current key; 1: some are still on another; 2: could not run.
 *
 *   --force   open PGlite although its folder looks in use (only after a crash).
 */
import { HealthRegistry, databaseConfigFrom, parseConfig, runCommand } from '@omnigate/kit';
import { DbHandle, VaultCardsRepository, openDatabase, refuseOpenPglite } from '@omnigate/store';
import { VaultEnvKeys } from '../config/vault.config';
import { resealToCurrentKey } from '../keys/key-rotation.service';
import { VaultKeys } from '../keys/vault-keys.service';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--force');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (known: --force)`);
  const config = parseConfig(VaultEnvKeys.omit({ VAULT_TOKEN_KEY: true }), process.env);
  const { url, dataDir } = databaseConfigFrom(config);
  refuseOpenPglite(dataDir, argv.includes('--force'));
  const keys = VaultKeys.fromConfig(config.VAULT_PRIVATE_KEYS);
  const database = await openDatabase({ url, dataDir, poolSize: 2 });
  try {
    const cards = new VaultCardsRepository(new DbHandle(database, new HealthRegistry()));
    const report = await resealToCurrentKey(keys, cards);
    const others = Object.entries(report.byKey).filter(([kid]) => kid !== report.currentKeyId);
    console.log(
      `vault:rotate: ${report.resealed} card(s) re-sealed to key ${report.currentKeyId}; ` +
        `cards per key now: ${JSON.stringify(report.byKey)}`,
    );
    if (others.length > 0) {
      console.log(`still on other keys: ${others.map(([k, n]) => `${k} (${n})`).join(', ')}`);
      return 1;
    }
    console.log('every stored card is on the current key: the older private keys can be removed');
    return 0;
  } finally {
    await database.close();
  }
}

runCommand('vault:rotate', () => main(process.argv.slice(2)));
