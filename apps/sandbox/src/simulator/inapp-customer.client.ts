import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import {
  SimulatorChannelNotConfiguredError,
  SimulatorGatewayRefusedError,
  SimulatorGatewayUnavailableError,
  SimulatorRequestInvalidError,
} from './simulator.errors';
import type { InboxEntry } from './simulator-inbox.mapper';

/** The MessageView fields the simulator reads (apps/gateway-inapp/PROTOCOL.md). */
interface PushedMessage {
  id: string;
  seq: number;
  direction: 'inbound' | 'outbound';
  channel: string;
  text: string;
  status: string | null;
  createdAt: string;
}

type Ack = { ok: true } & Record<string, unknown>;
type AckReply = Ack | { ok: false; error: { code: string; message: string } };

interface Session {
  socket: Socket;
  received: Map<string, InboxEntry>;
  lastSeq: number;
  /** Why the socket is not connected, when the last attempt failed (a code, never a token). */
  problem: string | null;
}

const CONNECT_TIMEOUT_MS = 5000;
const ACK_TIMEOUT_MS = 10_000;
/** Addresses come from the page: bound the sockets one sandbox keeps open. */
const MAX_SESSIONS = 50;
/** Gateway ack codes that mean "not stored, send the same thing again later" (PROTOCOL.md). */
const RETRYABLE = new Set([
  'BUS.UNAVAILABLE',
  'GATEWAY.STREAMS_UNAVAILABLE',
  'GATEWAY.STATE_UNAVAILABLE',
  'INTERNAL',
]);
/** Like the app: the same clientMsgId again after these pauses, then the simulator answers 503. */
const RETRY_PAUSES_MS = [250, 500, 1000, 2000];

/**
 * Plays the bank's app for each app user: a socket.io connection to the in-app gateway with a
 * login JWT signed like the app's identity provider would, `message` to send, `resume` after each
 * (re)connect and live pushes (acked: the `delivered` receipt) to receive. One socket per user,
 * opened on first use and kept.
 */
@Injectable()
export class InappCustomerClient implements OnApplicationShutdown {
  private readonly logger = new Logger('simulator-inapp');
  private readonly sessions = new Map<string, Session>();

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  /** The keys this channel still needs (empty when configured). */
  missingKeys(): string[] {
    return [
      this.config.SANDBOX_SIMULATOR_INAPP_URL ? null : 'SANDBOX_SIMULATOR_INAPP_URL',
      this.config.SANDBOX_SIMULATOR_INAPP_JWT_SECRET ? null : 'SANDBOX_SIMULATOR_INAPP_JWT_SECRET',
    ].filter((k): k is string => k !== null);
  }

  /** What the app received so far (connects on first call; the next poll shows the rest). */
  inbox(appUserId: string): { messages: InboxEntry[]; problem: string | null } {
    const s = this.session(appUserId);
    if (!s.socket.connected && !s.socket.active) s.socket.connect();
    return { messages: [...s.received.values()], problem: s.problem };
  }

  async send(appUserId: string, text: string): Promise<{ clientMsgId: string }> {
    const s = this.session(appUserId);
    await this.connected(s);
    const clientMsgId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      let ack: AckReply;
      try {
        ack = (await s.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('message', { clientMsgId, text })) as AckReply;
      } catch (e) {
        throw new SimulatorGatewayUnavailableError('inapp', `no ack in ${ACK_TIMEOUT_MS} ms`, e);
      }
      if (ack.ok) return { clientMsgId };
      const why = `${ack.error.code}: ${ack.error.message}`;
      if (!RETRYABLE.has(ack.error.code)) {
        // The gateway's code only: its message may quote the customer's input.
        this.logger.warn({ msg: 'in-app gateway refused the message', code: ack.error.code });
        throw new SimulatorGatewayRefusedError('inapp', why);
      }
      // Not stored: the gateway deduplicates by clientMsgId, so sending it again is safe.
      const pause = RETRY_PAUSES_MS[attempt];
      if (pause === undefined) throw new SimulatorGatewayUnavailableError('inapp', why);
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  onApplicationShutdown(): void {
    for (const s of this.sessions.values()) s.socket.close();
    this.sessions.clear();
  }

  private session(appUserId: string): Session {
    const existing = this.sessions.get(appUserId);
    if (existing) return existing;
    const url = this.config.SANDBOX_SIMULATOR_INAPP_URL;
    const secret = this.config.SANDBOX_SIMULATOR_INAPP_JWT_SECRET;
    if (!url || !secret) throw new SimulatorChannelNotConfiguredError('inapp', this.missingKeys());
    if (this.sessions.size >= MAX_SESSIONS) {
      throw new SimulatorRequestInvalidError(`at most ${MAX_SESSIONS} app users at once`);
    }
    const socket = io(url, {
      // A fresh login token on every (re)connect, so an expired one is never reused.
      auth: (cb) => {
        this.token(appUserId, secret).then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
      transports: ['websocket'],
      autoConnect: false,
    });
    const s: Session = { socket, received: new Map(), lastSeq: 0, problem: null };
    socket.on('connect', () => {
      s.problem = null;
      void this.resume(s, appUserId);
    });
    socket.on('connect_error', (err: Error) => {
      s.problem = err.message;
    });
    socket.on('message', (m: PushedMessage, ack?: () => void) => {
      this.keep(s, appUserId, m);
      ack?.();
    });
    // The gateway ends the socket when the token expires: come back with a new one.
    socket.on('auth_expired', () => setTimeout(() => socket.connect(), 100));
    this.sessions.set(appUserId, s);
    return s;
  }

  private token(sub: string, secret: string): Promise<string> {
    return new SignJWT({ auth_time: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
  }

  private connected(s: Session): Promise<void> {
    if (s.socket.connected) return Promise.resolve();
    if (!s.socket.active) s.socket.connect();
    return new Promise((resolve, reject) => {
      const done = (e?: Error) => {
        clearTimeout(timer);
        s.socket.off('connect', onConnect);
        s.socket.off('connect_error', onError);
        if (e) reject(e);
        else resolve();
      };
      const onConnect = () => done();
      const onError = (err: Error) =>
        done(
          // AUTH_UNAVAILABLE: the gateway cannot check tokens right now (PROTOCOL.md: retry).
          err.message.startsWith('INAPP.') && err.message !== 'INAPP.AUTH_UNAVAILABLE'
            ? new SimulatorGatewayRefusedError('inapp', `the socket was refused (${err.message})`)
            : new SimulatorGatewayUnavailableError('inapp', `cannot connect (${err.message})`, err),
        );
      const timer = setTimeout(
        () => done(new SimulatorGatewayUnavailableError('inapp', 'connect timed out')),
        CONNECT_TIMEOUT_MS,
      );
      s.socket.on('connect', onConnect);
      s.socket.on('connect_error', onError);
    });
  }

  /** After each (re)connect: what was missed since the last seq, then the delivered watermark. */
  private async resume(s: Session, appUserId: string): Promise<void> {
    try {
      for (let page = 0; page < 20; page++) {
        const r = (await s.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('resume', { lastSeq: s.lastSeq })) as AckReply;
        if (!r.ok) throw new Error(r.error.code);
        const messages = (r.messages ?? []) as PushedMessage[];
        for (const m of messages) this.keep(s, appUserId, m);
        if (r.hasMore !== true || messages.length === 0) break;
      }
      if (s.lastSeq > 0) s.socket.emit('delivered', { upToSeq: s.lastSeq });
    } catch (e) {
      s.problem = `resume failed (${e instanceof Error ? e.message : 'unknown'})`;
      this.logger.warn({ msg: 'in-app resume failed', problem: s.problem });
    }
  }

  private keep(s: Session, appUserId: string, m: PushedMessage): void {
    if (typeof m?.seq === 'number' && m.seq > s.lastSeq) s.lastSeq = m.seq;
    if (m?.direction !== 'outbound' || m.channel !== 'inapp') return;
    s.received.set(m.id, {
      id: m.id,
      channel: 'inapp',
      address: appUserId,
      at: m.createdAt,
      text: m.text,
      // The app acks every push (or sends the watermark after a resume): delivered.
      status: 'delivered',
    });
  }
}
