/**
 * `npm run data:rewrap [-- --force]`: the second half of a key-encryption key (KEK) rotation.
 * Put the new KEK FIRST in DATA_KEKS (`k2:...,k1:...`) wherever it is set (router and console),
 * then run this with the router's environment: every live data key is rewrapped with the new KEK
 * (the data itself is not touched), and the KEKs still wrapping keys are listed. Exit 0: none but
 * the current one; then REMOVE the old KEK from DATA_KEKS everywhere (and from the KMS). From then
 * on a restored backup of data_keys, an erased customer's wrapped key included, is wrapped by a
 * KEK nobody holds: old backups cannot open anyone's data, erased or not (README: "Erasure").
 * Exit 1: keys are still on another KEK (run again); 2: could not run.
 *
 *   --force   open PGlite although its folder looks in use (only after a crash).
 */
import type { KmsPort } from '@omnigate/crypto';
import { LocalKms } from '@omnigate/crypto';
import {
  CommonEnv,
  HealthRegistry,
  databaseConfigFrom,
  parseConfig,
  runCommand,
} from '@omnigate/kit';
import { DataProtection, DbHandle, openDatabase, refuseOpenPglite } from '@omnigate/store';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--force');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (known: --force)`);
  const config = parseConfig(CommonEnv, process.env);
  const { url, dataDir, protection } = databaseConfigFrom(config);
  if (!protection?.indexKey) throw new Error('DATA_KEKS and DATA_INDEX_KEY are not set');
  refuseOpenPglite(dataDir, argv.includes('--force'));
  const kms: KmsPort = LocalKms.fromConfig(protection.keks);
  const database = await openDatabase({ url, dataDir, poolSize: 2 });
  try {
    const dp = new DataProtection(
      new DbHandle(database, new HealthRegistry()),
      kms,
      Buffer.from(protection.indexKey, 'base64'),
    );
    const rewrapped = await dp.rewrapAll();
    const byKek = await dp.keysByKek();
    console.log(
      `data:rewrap: ${rewrapped} data key(s) rewrapped with ${kms.currentKekId}; ` +
        `live keys per KEK now: ${JSON.stringify(byKek)}`,
    );
    const others = Object.entries(byKek).filter(([kek]) => kek !== kms.currentKekId);
    if (others.length > 0) {
      console.log(`still on other KEKs: ${others.map(([k, n]) => `${k} (${n})`).join(', ')}`);
      return 1;
    }
    console.log(
      'every live data key is on the current KEK: remove the others from DATA_KEKS (router and ' +
        'console) and from the KMS; old backups of data_keys then open nothing',
    );
    return 0;
  } finally {
    await database.close();
  }
}

runCommand('data:rewrap', () => main(process.argv.slice(2)));
