import { randomBytes, randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusClient, BusModule, BusPublisher, DeadLetterReader } from '@omnigate/bus';
import type { BusOptions } from '@omnigate/bus';
import {
  SEALED_CARD_V1,
  SealedCardV1Schema,
  Subjects,
  sealedCardMsgId,
  VaultRequests,
} from '@omnigate/contracts';
import type {
  Channel,
  DeadLetterV1,
  SealedCardV1,
  VaultCardOfResponseV1,
  VaultRevealRequestV1,
  VaultRevealResponseV1,
} from '@omnigate/contracts';
import { CardSealer, HpkeSealer, PanRedactor, generateHpkeKeyPair } from '@omnigate/crypto';
import type { SealedCard } from '@omnigate/crypto';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { VaultStoreModule } from '@omnigate/store';
import {
  createTestDatabase,
  databaseEnvAs,
  freePort,
  pollUntil,
  startNatsServer,
} from '@omnigate/testing';
import type { NatsServerOptions, TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startVault } from '../src/bootstrap';

export type KeyPair = { publicKey: string; privateKey: string };

/** nats-server, a database, the vault app, and a peer playing the gateways and the console. */
export interface VaultSystem {
  nats: TestNatsServer;
  db: TestDatabase;
  /** The vault's first key pair (kid v1): gateways get the public half. */
  keys: KeyPair;
  vault: RunningHttpApp;
  /** Bus client + the vault's store, for the test to publish, call and read. */
  peer: TestingModule;
  logs: string[];
  /** What a gateway does with a customer's text: redact and seal to `publicKey` (default v1). */
  seal(text: string, publicKey?: string): Promise<{ text: string; sealed: SealedCard[] }>;
  /**
   * Publishes a sealed card as a gateway does: on its channel's subject unless told, with the
   * card's message id unless told (another id passes JetStream's dedupe: a redelivery).
   */
  publish(
    card: SealedCard,
    channel: Channel,
    opts?: { subject?: string; msgId?: string },
  ): Promise<SealedCardV1>;
  reveal(req: VaultRevealRequestV1): Promise<VaultRevealResponseV1>;
  cardOf(ref: string): Promise<VaultCardOfResponseV1>;
  /** Dead letters of the vault's consumer, newest first. */
  deadLetters(): Promise<DeadLetterV1[]>;
  /** Stops the vault and starts it again with `env` over the first start's environment. */
  restartVault(env?: Record<string, string>): Promise<void>;
  /** Stops the vault (restartVault starts it again). */
  stopVault(): Promise<void>;
  stop(): Promise<void>;
}

export interface VaultSystemOptions {
  nats?: NatsServerOptions;
  /** The peer's NATS credentials when the server has users. */
  peerBus?: Partial<BusOptions>;
  /**
   * A PGlite folder another process (the vault:rotate command) can open once the vault is
   * stopped; the peer then has no store of its own (PGlite is one process at a time).
   */
  dbOnDisk?: boolean;
  /** Runs once nats-server is up, before the vault starts (e.g. the router creating the streams). */
  beforeVault?: (nats: TestNatsServer) => Promise<unknown>;
}

export async function startVaultSystem(
  extraEnv: Record<string, string> = {},
  opts: VaultSystemOptions = {},
): Promise<VaultSystem> {
  const logs: string[] = [];
  const previousSink = setLogSink((line) => logs.push(line));
  const nats = await startNatsServer(opts.nats);
  const db = await createTestDatabase({ onDisk: opts.dbOnDisk });
  const keys = await generateHpkeKeyPair('v1');
  await opts.beforeVault?.(nats);
  const baseEnv: Record<string, string> = {
    NATS_URL: nats.url,
    ...databaseEnvAs(db, 'vault'),
    VAULT_PORT: String(await freePort()),
    VAULT_PRIVATE_KEYS: keys.privateKey,
    VAULT_TOKEN_KEY: randomBytes(32).toString('hex'),
    ...extraEnv,
  };
  const vault = await startVault(baseEnv);
  let running = true;
  const stopVault = async () => {
    if (running) await sys.vault.close();
    running = false;
  };
  const peer = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url: nats.url, name: 'vault-test-peer', ...opts.peerBus }),
      ...(opts.dbOnDisk ? [] : [VaultStoreModule.forRoot(db.config)]),
    ],
  })
    .setLogger(new JsonLogger('vault-test-peer', 'warn'))
    .compile();
  await peer.init();
  const sys: VaultSystem = {
    nats,
    db,
    keys,
    vault,
    peer,
    logs,
    seal: (text, publicKey = keys.publicKey) =>
      new CardSealer(new PanRedactor(), HpkeSealer.fromConfig(publicKey)).redactAndSeal(text),
    publish: async (card, channel, opts = {}) => {
      const message: SealedCardV1 = {
        type: SEALED_CARD_V1,
        version: 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        channel,
        ...card,
      };
      await peer
        .get(BusPublisher)
        .publish(opts.subject ?? Subjects.sealedCard(channel), SealedCardV1Schema, message, {
          msgId: opts.msgId ?? sealedCardMsgId(card.ref),
        });
      return message;
    },
    reveal: (req) => peer.get(BusClient).request(VaultRequests.reveal, req),
    cardOf: (ref) => peer.get(BusClient).request(VaultRequests.cardOf, { ref }),
    deadLetters: async () => (await peer.get(DeadLetterReader).recent(50)).entries,
    restartVault: async (env = {}) => {
      await stopVault();
      sys.vault = await startVault({ ...baseEnv, ...env });
      running = true;
    },
    stopVault,
    stop: async () => {
      await peer.close();
      await stopVault();
      await db.cleanup();
      await nats.dispose();
      setLogSink(previousSink);
    },
  };
  return sys;
}

/** Waits until the vault knows `ref` (its sealed card was taken in). */
export function cardKnown(sys: VaultSystem, ref: string): Promise<VaultCardOfResponseV1> {
  return pollUntil(() => sys.cardOf(ref).catch(() => null), {
    what: `the vault to take in ${ref}`,
  });
}

/** Waits for the vault's dead letter of `ref`. */
export function deadLetterOf(sys: VaultSystem, ref: string): Promise<DeadLetterV1> {
  return pollUntil(async () => (await sys.deadLetters()).find((d) => d.payload.includes(ref)), {
    what: `the dead letter of ${ref}`,
  });
}
