import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import type {
  Channel,
  ConsentChangedV1,
  ConsentPurpose,
  DeliveryStatusV1,
  InboundMessageV1,
  OutboundMessageV1,
  SealedCardV1,
} from '@omnigate/contracts';
import { generateHpkeKeyPair } from '@omnigate/crypto';
import { EDGE_FORBIDDEN_ENV } from '@omnigate/gateway-kit';
import type { Veto } from '@omnigate/gateway-kit';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { metricValue } from './bus-probe';
import { busViews } from './gateway-bus-views';
import { freePort } from './free-port';
import { startNatsServer } from './nats-server';
import type { NatsServerOptions, TestNatsServer } from './nats-server';
import { pollUntil } from './poll-until';
import { reportSlowStop, stepWatched } from './slow-stop';

type Start = (env: NodeJS.ProcessEnv) => Promise<RunningHttpApp>;

/** Where the parts listen, for building their environments. */
export interface GatewaySystemUrls {
  gatewayUrl: string;
  gatewayPort: number;
  /** The gateway's management port (/metrics): fixed, so a restarted gateway keeps it. */
  managementUrl: string;
  sandboxUrl: string;
  sandboxPort: number;
}

export interface GatewaySystemOptions {
  channel: Channel;
  /** The gateway's bootstrap and its own keys (the system adds NATS_URL and VAULT_PUBLIC_KEY). */
  gateway: { start: Start; env: (u: GatewaySystemUrls) => Record<string, string> };
  /** The sandbox playing the provider (omit for none). */
  sandbox?: { start: Start; env: (u: GatewaySystemUrls) => Record<string, string> };
  /** The nats-server's config additions and environment (least-privilege users). */
  nats?: NatsServerOptions;
  /** Credentials of the probe (the router's stand-in) when the server requires users. */
  probeAuth?: { user: string; pass: string };
  /** false: do not wait for the gateway to be ready (it may wait for streams nobody creates). */
  waitReady?: boolean;
  /** false: the probe does not create the streams (the router has not started yet). */
  probeDeclaresStreams?: boolean;
}

/**
 * One gateway as deployed, for its tests: a spawned nats-server, the sandbox as its provider, the
 * gateway booted with an environment that has no database and no data key (checked), only the
 * vault's public key, a bus probe standing in for the router (and the vault: it holds the private
 * key), and the gateway's log lines captured (and still written to the test's log file).
 */
export interface GatewaySystem extends GatewaySystemUrls {
  channel: Channel;
  nats: TestNatsServer;
  sandbox: RunningHttpApp | null;
  gateway: RunningHttpApp;
  probe: TestingModule;
  /** Exactly what the gateway was started with. */
  gatewayEnv: Record<string, string>;
  /** The vault's key pair: the gateway has the public half only. */
  vault: { publicKey: string; privateKey: string };
  logs: string[];
  inbound(): Promise<InboundMessageV1[]>;
  /** The inbound message with this provider id, once published. */
  waitForInbound(providerMessageId: string): Promise<InboundMessageV1>;
  sealedCards(): Promise<SealedCardV1[]>;
  statuses(messageId: string): Promise<DeliveryStatusV1[]>;
  waitForStatus(messageId: string, state: DeliveryStatusV1['state']): Promise<DeliveryStatusV1>;
  /** What the router would publish for an agent's reply. */
  publishOutbound(
    to: string,
    text: string,
    over?: Partial<OutboundMessageV1>,
  ): Promise<OutboundMessageV1>;
  /**
   * The same outbound message delivered again (a crash before the ack, a second hand-out): resolves
   * with the send loop's outcome for it (`already_sent` when the ledger knew it).
   */
  redeliver(msg: OutboundMessageV1): Promise<string>;
  /** What the router publishes when a consent on this channel changes (app, agent, keyword). */
  publishConsent(
    addresses: string[],
    changes: ConsentChangedV1['changes'],
    source?: ConsentChangedV1['source'],
  ): Promise<ConsentChangedV1>;
  /** One entry of a KV bucket the gateway keeps (its opt-out list, its ledger). */
  kv<T>(bucket: string, key: string): Promise<T | undefined>;
  /** What the gateway's own list says of a message of `purpose` to `address` (null: may send). */
  veto(address: string, purpose?: ConsentPurpose): Promise<Veto | null>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stopGateway(): Promise<void>;
  /** Starts the gateway again with the same environment (stopping the running one first). */
  restartGateway(): Promise<void>;
  restartSandbox(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatewaySystem(opts: GatewaySystemOptions): Promise<GatewaySystem> {
  const { logs, restore } = captureLogs();
  const nats = await startNatsServer(opts.nats);
  const urls = await freeUrls();
  const vault = await generateHpkeKeyPair('vault-test');
  const gatewayEnv = edgeEnv({
    NATS_URL: nats.url,
    VAULT_PUBLIC_KEY: vault.publicKey,
    MANAGEMENT_PORT: new URL(urls.managementUrl).port,
    ...opts.gateway.env(urls),
  });
  // The probe first: Nest's static Logger follows the last app created, and the apps' JSON
  // loggers must be the ones every line goes through (into the captured sink).
  const probe = await startProbe(nats.url, opts.channel, {
    ...opts.probeAuth,
    declareStreams: opts.probeDeclaresStreams !== false,
  });
  const sandboxEnv = opts.sandbox?.env(urls) ?? {};
  const sandbox = opts.sandbox ? await opts.sandbox.start(sandboxEnv) : null;
  const sys = withLifecycle(
    {
      ...urls,
      channel: opts.channel,
      nats,
      sandbox,
      gateway: await opts.gateway.start(gatewayEnv),
      probe,
      gatewayEnv,
      vault,
      logs,
      ...busViews(probe, urls.managementUrl, opts.channel),
      metric: (name, labels = {}) => metricValue(urls.managementUrl, name, labels),
    },
    { ...opts, sandboxEnv, restoreLogs: restore },
  );
  if (opts.waitReady !== false) await waitReady(urls.gatewayUrl);
  return sys;
}

type Lifecycle = 'stopGateway' | 'restartGateway' | 'restartSandbox' | 'stop';

/** Stop and restart the parts; `stop` ends everything and gives the log sink back. */
function withLifecycle(
  base: Omit<GatewaySystem, Lifecycle>,
  opts: GatewaySystemOptions & { sandboxEnv: Record<string, string>; restoreLogs: () => void },
): GatewaySystem {
  let running = true;
  const sys: GatewaySystem = {
    ...base,
    stopGateway: async () => {
      if (running) await stepWatched('gateway.close', sys.logs, () => sys.gateway.close());
      running = false;
    },
    restartGateway: async () => {
      await sys.stopGateway();
      sys.gateway = await opts.gateway.start(sys.gatewayEnv);
      running = true;
    },
    restartSandbox: async () => {
      if (opts.sandbox) sys.sandbox = await opts.sandbox.start(opts.sandboxEnv);
    },
    stop: async () => {
      const started = Date.now();
      await stepWatched('probe.close', sys.logs, () => sys.probe.close());
      await sys.stopGateway();
      await stepWatched('sandbox.close', sys.logs, async () =>
        sys.sandbox?.close().catch(() => {}),
      );
      reportSlowStop(`${sys.channel} gateway test system`, Date.now() - started, sys.logs);
      await sys.nats.dispose();
      opts.restoreLogs();
    },
  };
  return sys;
}

/** Every log line into `logs`, and still to the test's log file. */
function captureLogs(): { logs: string[]; restore: () => void } {
  const logs: string[] = [];
  const previous = setLogSink(() => undefined);
  setLogSink((line) => {
    logs.push(line);
    previous(line);
  });
  return { logs, restore: () => setLogSink(previous) };
}

async function freeUrls(): Promise<GatewaySystemUrls> {
  const gatewayPort = await freePort();
  const sandboxPort = await freePort();
  return {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    gatewayPort,
    managementUrl: `http://127.0.0.1:${await freePort()}`,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    sandboxPort,
  };
}

/** The gateway's environment, refused if it holds anything an edge must not. */
function edgeEnv(env: Record<string, string>): Record<string, string> {
  const forbidden = EDGE_FORBIDDEN_ENV.filter((k) => k in env);
  if (forbidden.length > 0) {
    throw new Error(`a gateway must not be given ${forbidden.join(', ')}`);
  }
  return env;
}

async function startProbe(
  url: string,
  channel: Channel,
  more: { user?: string; pass?: string; declareStreams: boolean },
): Promise<TestingModule> {
  const probe = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url, name: `${channel}-test-probe`, publishTimeoutMs: 1000, ...more }),
    ],
  })
    .setLogger(new JsonLogger(`${channel}-test-probe`))
    .compile();
  await probe.init();
  return probe;
}

/**
 * Ready for the bus: NATS connected and the streams there, as GET /health/ready reports them (a
 * provider's own check, a linked WhatsApp device, may still be waiting for a person).
 */
export function waitReady(gatewayUrl: string, timeoutMs = 30_000): Promise<boolean> {
  return pollUntil(
    async () => {
      const res = await fetch(`${gatewayUrl}/health/ready`).catch(() => null);
      const body = (await res?.json().catch(() => null)) as {
        checks?: Record<string, boolean>;
      } | null;
      return body?.checks?.nats === true && body.checks.streams === true;
    },
    { timeoutMs, what: 'the gateway to be ready' },
  );
}
