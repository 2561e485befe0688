export interface BusTlsOptions {
  /** PEM file of the CA that signed the server's certificate (verify the server). */
  caFile?: string;
  /** Client certificate and key, when the server requires mutual TLS. */
  certFile?: string;
  keyFile?: string;
}

export interface BusOptions {
  /** nats://host:port, comma-separated for a cluster (tls://... to require TLS). */
  url: string;
  /** Connection name shown by the server (the app's name). */
  name: string;
  /** Optional credentials: one NATS user per service (least privilege, deploy/nats). */
  user?: string;
  pass?: string;
  /** Alternative to user/pass: a bearer token. */
  token?: string;
  /** TLS to the server; set when the server has a `tls` block (deploy/README.md). */
  tls?: BusTlsOptions;
  /**
   * Prefix of this connection's reply subjects. With per-service users each service gets its own
   * (`_INBOX.<user>`), so no service may subscribe to another's replies: JetStream delivers pulled
   * messages to these inboxes, and `_INBOX.>` for everyone would let a gateway read every inbound.
   */
  inboxPrefix?: string;
  /** How long a JetStream publish may wait for its ack before the caller gets BUS.UNAVAILABLE. */
  publishTimeoutMs?: number;
  /** How long each shutdown step (a consumer finishing its messages, the drain) may take, ms. */
  shutdownGraceMs?: number;
  /**
   * Declare the standard streams at start. true (default): create missing streams and bring
   * existing ones to the declared limits when this user may; a user that may only look streams up
   * waits for them (streamWaitMs) and leaves their limits to the owner. false: skip entirely.
   */
  declareStreams?: boolean;
  /**
   * true (gateways): start without waiting for missing streams; the readiness check `streams`
   * fails and `NatsConnection.whenStreamsReady()` is pending until they exist, however long.
   */
  streamsInBackground?: boolean;
  /** How long a user that may not create streams waits for them at start, ms (default 60 s). */
  streamWaitMs?: number;
  /**
   * Copies of every stream, KV bucket and object store (NATS_REPLICAS): 1 on one server, 3 on a
   * three-node cluster. Existing ones are scaled to it where this user may update them. Unset:
   * new ones get 1 and existing ones keep theirs (a probe or tool never scales production down).
   */
  replicas?: number;
  /** max_age per stream, ms, overriding the defaults of `Streams` (retention, README). */
  streamMaxAgeMs?: Partial<
    Record<'MSG_IN' | 'MSG_OUT' | 'MSG_STATUS' | 'CONV_EVENTS' | 'CORE_EVENTS' | 'DLQ', number>
  >;
}

export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
