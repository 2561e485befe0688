/**
 * `npm run vault:keygen [-- --kid <key id>]`: prints a new HPKE key pair for the vault (X25519,
 * RFC 9180), in configuration form. The private half goes FIRST in the vault's VAULT_PRIVATE_KEYS
 * (the old keys after it); the public half is the gateways' VAULT_PUBLIC_KEY. Nothing is written
 * to disk. README: "Card vault: key rotation".
 */
import { generateHpkeKeyPair } from '@omnigate/crypto';

function kidFrom(argv: string[]): string {
  if (argv.length === 0) return `vault-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  if (argv[0] === '--kid' && argv[1] && argv.length === 2) return argv[1];
  throw new Error('usage: npm run vault:keygen [-- --kid <key id>]');
}

async function main(argv: string[]): Promise<void> {
  const { publicKey, privateKey } = await generateHpkeKeyPair(kidFrom(argv));
  console.log(`VAULT_PRIVATE_KEYS (vault only, first of the list): ${privateKey}`);
  console.log(`VAULT_PUBLIC_KEY   (every gateway):                 ${publicKey}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`vault:keygen: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
