import type { VaultCardsRepository } from '@omnigate/store';
import type { VaultKeys } from './vault-keys.service';

export interface RotationReport {
  /** Cards moved to the current key by this run. */
  resealed: number;
  /** Cards per key id after the run: only the current key once a rotation is complete. */
  byKey: Record<string, number>;
  currentKeyId: string;
}

/**
 * `npm run vault:rotate`: re-seals every stored number still sealed to an older key to the current
 * one (the first of VAULT_PRIVATE_KEYS), a page at a time, so the old private key can be removed.
 * Safe to run again and beside a running vault (a row is only replaced if still on its old key).
 */
export async function resealToCurrentKey(
  keys: VaultKeys,
  cards: VaultCardsRepository,
  pageSize = 200,
): Promise<RotationReport> {
  let resealed = 0;
  for (let after = ''; ;) {
    const page = await cards.sealedToOtherKeys(keys.currentKeyId, after, pageSize);
    for (const row of page) {
      const pan = await keys.openAtRest(row.token, row);
      if (await cards.reseal(row.token, row.keyId, await keys.sealAtRest(pan, row.token))) {
        resealed++;
      }
    }
    const last = page[page.length - 1];
    if (page.length < pageSize || !last) break;
    after = last.token;
  }
  return { resealed, byKey: await cards.countByKey(), currentKeyId: keys.currentKeyId };
}
