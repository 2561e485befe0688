import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { generateHpkeKeyPair } from '@omnigate/crypto';
import type { SealedCard } from '@omnigate/crypto';
import { databaseEnvAs } from '@omnigate/testing';
import { cardKnown, deadLetterOf, startVaultSystem } from './vault-test-system';
import type { KeyPair, VaultSystem } from './vault-test-system';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run vault:rotate` as an operator runs it: its own process, the vault's database and keys. */
function vaultRotate(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/vault/src/cli/vault-rotate.ts'],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe('vault key rotation: old boxes still open, vault:rotate moves the stored ones', () => {
  let sys: VaultSystem;
  let v1: KeyPair;
  let v2: KeyPair;
  const cards: Record<'a' | 'b' | 'c', SealedCard> = {} as never;
  const revealed = async (card: SealedCard) =>
    (await sys.reveal({ ref: card.ref, actor: 'sam', role: 'supervisor', reason: 'rotation' })).pan;

  beforeAll(async () => {
    sys = await startVaultSystem({}, { dbOnDisk: true });
    v1 = sys.keys;
    v2 = await generateHpkeKeyPair('v2');
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('with the new key first, opens boxes sealed to the old key and to the new one', async () => {
    cards.a = (await sys.seal('4111 1111 1111 1111', v1.publicKey)).sealed[0]!;
    await sys.publish(cards.a, 'sms');
    await cardKnown(sys, cards.a.ref);

    await sys.restartVault({ VAULT_PRIVATE_KEYS: `${v2.privateKey},${v1.privateKey}` });
    // b: sealed by a gateway that has not got the new public key yet; c: by one that has.
    cards.b = (await sys.seal('5555 5555 5555 4444', v1.publicKey)).sealed[0]!;
    cards.c = (await sys.seal('4000 0000 0000 0002', v2.publicKey)).sealed[0]!;
    expect([cards.b.box.kid, cards.c.box.kid]).toEqual(['v1', 'v2']);
    await sys.publish(cards.b, 'sms');
    await sys.publish(cards.c, 'inapp');
    await cardKnown(sys, cards.b.ref);
    await cardKnown(sys, cards.c.ref);
    expect(await revealed(cards.a)).toBe('4111111111111111');
    expect(await revealed(cards.b)).toBe('5555555555554444');
    expect(await revealed(cards.c)).toBe('4000000000000002');
  });

  it('needs vault:rotate before the old key goes: a card stored under it no longer opens', async () => {
    await sys.restartVault({ VAULT_PRIVATE_KEYS: v2.privateKey });
    await expect(revealed(cards.a)).rejects.toMatchObject({ code: 'VAULT.KEY_MISSING' });
    // b and c were taken in after the new key came first: stored under it already.
    expect(await revealed(cards.b)).toBe('5555555555554444');
  });

  it('vault:rotate re-seals what is stored under the old key; then the old key can go', async () => {
    await sys.stopVault();
    // The vault's environment: on PostgreSQL it logs in as omnigate_vault.
    const env = {
      ...databaseEnvAs(sys.db, 'vault'),
      VAULT_PRIVATE_KEYS: `${v2.privateKey},${v1.privateKey}`,
    };
    const run = await vaultRotate(env);
    expect(run.out).toContain('1 card(s) re-sealed to key v2');
    expect(run.out).toContain('{"v2":3}');
    expect(run.code).toBe(0);
    const again = await vaultRotate(env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.out).toContain('0 card(s) re-sealed');
    expect(
      (await vaultRotate({ ...databaseEnvAs(sys.db, 'vault'), VAULT_PRIVATE_KEYS: 'nokey' })).code,
    ).toBe(2);

    await sys.restartVault({ VAULT_PRIVATE_KEYS: v2.privateKey });
    expect(await revealed(cards.a)).toBe('4111111111111111');
    expect(await revealed(cards.b)).toBe('5555555555554444');
    expect(await revealed(cards.c)).toBe('4000000000000002');
    // A box still sealed to the removed key can never open: dead-lettered with the key id.
    const late = (await sys.seal('4111 1111 1111 1111', v1.publicKey)).sealed[0]!;
    await sys.publish(late, 'sms');
    expect((await deadLetterOf(sys, late.ref)).error.code).toBe('VAULT.UNKNOWN_KEY');
    const fresh = (await sys.seal('4111 1111 1111 1111', v2.publicKey)).sealed[0]!;
    await sys.publish(fresh, 'sms');
    expect((await cardKnown(sys, fresh.ref)).token).toBe((await sys.cardOf(cards.a.ref)).token);
  });
});
