import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { connect, Events, nanos, RetentionPolicy, StorageType } from 'nats';
import type {
  JetStreamClient,
  JetStreamManager,
  NatsConnection as RawConnection,
  StreamConfig,
} from 'nats';
import { HealthRegistry, counter, gauge, withinGrace } from '@omnigate/kit';
import { BUS_OPTIONS } from './bus.options';
import type { BusOptions } from './bus.options';
import { BusStreamMissingError, BusUnavailableError, isPermissionError } from './bus.errors';
import { streamsWithMaxAge } from './streams';
import { replicasChange, replicasError } from './replicas';
import { ConsumerOutages } from './consumer-outages';
import type { StreamSpec } from './streams';

const connectedGauge = gauge('omnigate_bus_connected', 'NATS connection is up (1) or down (0)', [
  'app',
]);
const permissionDenied = counter(
  'omnigate_bus_permission_denied_total',
  'Publishes and subscriptions the NATS server refused for this user',
  ['app', 'operation'],
);

/**
 * The one NATS connection of an app. Connects at start (waiting for the server if it is not up
 * yet), declares the streams idempotently, tracks connection state for readiness and fast 503s,
 * and drains on shutdown after the consumers have stopped.
 */
@Injectable()
export class NatsConnection
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('bus');
  private nc: RawConnection | null = null;
  private connected = false;
  /** Resolves once the standard streams exist (at once unless `streamsInBackground`). */
  private streams: Promise<void> = Promise.resolve();
  private streamsExist = false;
  private readonly shutdownHooks: Array<{ what: string; stop: () => Promise<void> }> = [];
  /** Messages this app's consumers hold while a dependency is down (readiness `consumers`). */
  readonly outages = new ConsumerOutages();

  constructor(
    @Inject(BUS_OPTIONS) readonly options: BusOptions,
    health: HealthRegistry,
  ) {
    health.register({ name: 'nats', check: () => this.isConnected() });
    health.register({ name: 'consumers', check: () => this.outages.none() });
    // Only an app that starts without its streams can be up and still lack them.
    if (options.streamsInBackground) {
      health.register({ name: 'streams', check: () => this.streamsExist });
    }
  }

  async onModuleInit(): Promise<void> {
    this.nc = await connect({
      servers: natsServers(this.options.url),
      name: this.options.name,
      user: this.options.user,
      pass: this.options.pass,
      token: this.options.token,
      ...(this.options.tls ? { tls: this.options.tls } : {}),
      ...(this.options.inboxPrefix ? { inboxPrefix: this.options.inboxPrefix } : {}),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      pingInterval: 10_000,
    });
    this.setConnected(true);
    void this.watchStatus(this.nc);
    if (this.options.declareStreams !== false && this.options.streamsInBackground) {
      this.streams = this.declareInBackground(this.nc);
      this.streams.catch(() => undefined);
    } else if (this.options.declareStreams !== false) {
      try {
        await ensureStreams(
          await this.nc.jetstreamManager(),
          streamsWithMaxAge(this.options.streamMaxAgeMs),
          {
            waitMs: this.options.streamWaitMs ?? 60_000,
            replicas: this.options.replicas,
            log: (entry) => this.logger.warn(entry),
          },
        );
        this.streamsExist = true;
      } catch (e) {
        // The app will not start: do not leave the connection (and the process) hanging.
        const nc = this.nc;
        this.nc = null;
        await nc.close();
        this.setConnected(false);
        throw e;
      }
    } else {
      this.streamsExist = this.options.declareStreams === false;
    }
    this.logger.log({ msg: 'connected to NATS', server: this.nc.getServer() });
  }

  /** True once the standard streams exist (readiness check `streams`). */
  streamsReady(): boolean {
    return this.streamsExist;
  }

  /** Resolves once the standard streams exist; rejects if the app stops first. */
  whenStreamsReady(): Promise<void> {
    return this.streams;
  }

  /**
   * A gateway starts before the streams' owner: it waits for them however long it takes, through
   * disconnects, while its readiness says no and its webhooks answer 503.
   */
  private async declareInBackground(nc: RawConnection): Promise<void> {
    const specs = streamsWithMaxAge(this.options.streamMaxAgeMs);
    const log = (entry: Record<string, unknown>) => this.logger.warn(entry);
    while (!nc.isClosed()) {
      try {
        await ensureStreams(await nc.jetstreamManager(), specs, {
          waitMs: Infinity,
          replicas: this.options.replicas,
          log,
        });
        this.streamsExist = true;
        return;
      } catch (e) {
        if (nc.isClosed()) break;
        this.logger.warn({ msg: 'streams not declared yet, trying again', code: codeOf(e) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    throw new BusUnavailableError('the app stopped before the streams existed');
  }

  isConnected(): boolean {
    return this.connected && this.nc !== null && !this.nc.isClosed();
  }

  /** The raw connection; throws BUS.UNAVAILABLE while disconnected so callers fail fast. */
  connection(): RawConnection {
    if (!this.nc || !this.isConnected()) throw new BusUnavailableError('NATS is not connected');
    return this.nc;
  }

  jetstream(): JetStreamClient {
    return this.connection().jetstream();
  }

  async manager(): Promise<JetStreamManager> {
    return this.connection().jetstreamManager();
  }

  /** Consumers register how to stop (`what` names them in logs); they run before the connection drains. */
  onShutdown(hook: () => Promise<void>, what = 'subscription'): void {
    this.shutdownHooks.push({ what, stop: hook });
  }

  /**
   * Consumers stop pulling and finish what they hold before any onApplicationShutdown hook runs,
   * so in-flight handlers still have their database; then the connection drains. Each step has a
   * grace period: a shutdown never hangs, and what was not acknowledged is redelivered later.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const grace = this.options.shutdownGraceMs ?? 10_000;
    await Promise.all(
      this.shutdownHooks.splice(0).map(async ({ what, stop }) => {
        const done = await withinGrace(
          stop().catch(() => undefined),
          grace,
        );
        if (!done) {
          this.logger.warn({ msg: 'did not stop within the grace period', what, graceMs: grace });
        }
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    const nc = this.nc;
    this.nc = null;
    if (nc && !nc.isClosed()) {
      const drained = await withinGrace(
        nc.drain().catch(() => undefined),
        this.options.shutdownGraceMs ?? 10_000,
      );
      if (!drained) {
        this.logger.warn({ msg: 'NATS drain did not finish within the grace period; closing' });
        await nc.close();
      }
    }
    this.setConnected(false);
  }

  private async watchStatus(nc: RawConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) {
        this.setConnected(false);
        this.logger.warn({ msg: 'NATS disconnected' });
      } else if (s.type === Events.Reconnect) {
        this.setConnected(true);
        this.logger.log({ msg: 'NATS reconnected' });
      } else if (s.type === Events.Error && s.permissionContext) {
        // A refused core publish (fire-and-forget) has no caller to fail: it surfaces here.
        const { operation, subject } = s.permissionContext;
        permissionDenied.inc({ app: this.options.name, operation });
        this.logger.error({
          msg: 'NATS permissions violation',
          code: 'BUS.PERMISSION_DENIED',
          operation,
          subject,
        });
      }
    }
    this.setConnected(false);
  }

  private setConnected(up: boolean): void {
    this.connected = up;
    connectedGauge.set({ app: this.options.name }, up ? 1 : 0);
  }
}

export interface EnsureStreamsOptions {
  /** A user that may not create streams waits this long for their owner to create them, ms. */
  waitMs?: number;
  /** Copies of each stream (NATS_REPLICAS); undefined creates R1 and leaves existing ones as they are. */
  replicas?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * Creates missing streams and brings existing ones to the declared limits; safe on every start.
 * With least-privilege users only the owner (the router) may create or update streams: the others
 * look them up, leave differing limits to the owner, and wait for a missing one to appear.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  specs: StreamSpec[],
  opts: EnsureStreamsOptions = {},
): Promise<void> {
  for (const spec of specs) await ensureStream(jsm, spec, opts);
}

async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  opts: EnsureStreamsOptions,
): Promise<void> {
  const config: Partial<StreamConfig> = {
    name: spec.name,
    subjects: spec.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(spec.maxAgeMs),
    duplicate_window: nanos(spec.duplicateWindowMs),
    ...(opts.replicas !== undefined ? { num_replicas: opts.replicas } : {}),
  };
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let waited = 0;
  let mayCreate = true;
  for (;;) {
    const existing = await jsm.streams.info(spec.name).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (existing) {
      if (sameLimits(existing.config, config)) return;
      try {
        await jsm.streams.update(spec.name, config);
        const from = existing.config.num_replicas;
        if (replicasChange(from, opts.replicas) !== null) {
          opts.log?.({
            msg: 'stream replicas changed',
            stream: spec.name,
            from,
            to: opts.replicas,
          });
        }
      } catch (e) {
        if (!isPermissionError(e)) throw replicasError(e, spec.name, opts.replicas ?? 1);
        opts.log?.({ msg: 'stream limits differ; its owner updates them', stream: spec.name });
      }
      return;
    }
    // Once refused, only look again: each refused create is a permissions violation on the server.
    if (mayCreate) {
      try {
        await jsm.streams.add(config);
        return;
      } catch (e) {
        if (!isPermissionError(e)) throw replicasError(e, spec.name, opts.replicas ?? 1);
        mayCreate = false;
      }
    }
    if (Date.now() >= deadline) {
      throw new BusStreamMissingError(
        `stream ${spec.name} does not exist and this NATS user may not create it: start its owner (the router) first`,
      );
    }
    if (waited++ % 30 === 0) {
      opts.log?.({ msg: 'waiting for a stream its owner creates', stream: spec.name });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function sameLimits(have: StreamConfig, want: Partial<StreamConfig>): boolean {
  return (
    have.max_age === want.max_age &&
    have.duplicate_window === want.duplicate_window &&
    have.retention === want.retention &&
    have.storage === want.storage &&
    replicasChange(have.num_replicas, want.num_replicas) === null &&
    JSON.stringify([...have.subjects].sort()) === JSON.stringify([...(want.subjects ?? [])].sort())
  );
}

/** NATS_URL's servers: one, or a cluster's nodes comma-separated (spaces allowed). */
export function natsServers(url: string): string[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'BUS.UNAVAILABLE';
}

export function isNotFound(e: unknown): boolean {
  const err = e as { code?: string | number; api_error?: { err_code?: number }; message?: string };
  return (
    err?.code === '404' ||
    err?.api_error?.err_code === 10059 ||
    err?.api_error?.err_code === 10014 ||
    /not found/i.test(err?.message ?? '')
  );
}
