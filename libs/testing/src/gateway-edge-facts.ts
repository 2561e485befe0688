import { ALL_STREAMS, NatsConnection, ensureStreams } from '@omnigate/bus';
import type { SealedCardV1 } from '@omnigate/contracts';
import { HpkeOpener, sealedCardAad } from '@omnigate/crypto';
import type { GatewaySystem } from './gateway-system';
import { containsPan } from './pan-assertions';
import { pollUntil } from './poll-until';
import { waitReady } from './gateway-system';

/** A value of the gateway's environment that reads as a key (`<kid>:<base64url of 32 bytes>`). */
const KEYISH = /^[\w-]{1,32}:[\w-]{43}$/;

/** What a gateway's readiness says (GET /health/ready). */
export async function readiness(
  sys: Pick<GatewaySystem, 'gatewayUrl'>,
): Promise<{ status: number; checks: Record<string, boolean> }> {
  const res = await fetch(`${sys.gatewayUrl}/health/ready`);
  const body = (await res.json()) as { checks?: Record<string, boolean> };
  return { status: res.status, checks: body.checks ?? {} };
}

/** What the router does at its start: create the streams; then the gateway is ready, unrestarted. */
export async function routerCreatesStreams(sys: GatewaySystem): Promise<void> {
  await ensureStreams(await sys.probe.get(NatsConnection).manager(), ALL_STREAMS);
  await waitReady(sys.gatewayUrl);
}

export interface SealedCardFacts {
  sealed: SealedCardV1;
  /** The number, in any written form, anywhere in the sealed card's JSON. */
  showsPan: boolean;
  /** Each key-like value of the gateway's environment used as an opener: the error code it got. */
  gatewayOpens: Record<string, string>;
  /** What the vault's private key opens (the card's digits). */
  vaultOpens: string;
  /** The same box under another reference, opened by the vault: refused (its AAD binds the ref). */
  vaultOpensUnderAnotherRef: 'refused' | 'opened';
}

/**
 * What an edge test checks about a card the gateway sealed (issue 12): it waits for the sealed
 * card of `ref` on `card.v1.sealed.<channel>` and tries every key-like value the gateway holds on
 * it, then the vault's key, under its own reference and another. The test asserts on the facts.
 */
export async function sealedCardFacts(
  sys: GatewaySystem,
  ref: string,
  pan: string,
): Promise<SealedCardFacts> {
  const sealed = await pollUntil(async () => (await sys.sealedCards()).find((c) => c.ref === ref), {
    what: `the sealed card ${ref}`,
  });
  const gatewayOpens: Record<string, string> = {};
  for (const [key, value] of Object.entries(sys.gatewayEnv)) {
    if (!KEYISH.test(value)) continue;
    gatewayOpens[key] = await HpkeOpener.fromConfig(value)
      .openText(sealed.box, sealedCardAad(ref))
      .then(
        () => 'OPENED',
        (e: unknown) => (e as { code?: string }).code ?? 'ERROR',
      );
  }
  const vault = HpkeOpener.fromConfig(sys.vault.privateKey);
  const elsewhere = await vault
    .openText(sealed.box, sealedCardAad('ref_aaaaaaaaaaaaaaaaaaaa'))
    .then(
      () => 'opened' as const,
      () => 'refused' as const,
    );
  return {
    sealed,
    showsPan: containsPan(JSON.stringify(sealed), pan),
    gatewayOpens,
    vaultOpens: await vault.openText(sealed.box, sealedCardAad(ref)),
    vaultOpensUnderAnotherRef: elsewhere,
  };
}
