import type { Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import type { PgliteSessionService, SessionClient } from './pglite-session.service';
import type { PgliteServerErrorCode } from './pglite-server.errors';
import {
  authenticationOk,
  backendKeyData,
  fatalError,
  parameterStatus,
  readStartupFrame,
  readTypedFrames,
  readyForQuery,
} from './wire-frames.mapper';

export interface WireConnectionContext {
  id: number;
  session: PgliteSessionService;
  /** What every client is told at login (ParameterStatus), as PostgreSQL does. */
  settings: Map<string, string>;
  onFailure?: (code: PgliteServerErrorCode, error: unknown) => void;
}

/**
 * One client: the start (SSL refused, startup answered here), then its messages to the session in
 * the order they came. Only one read is worked on at a time; bytes that arrive meanwhile wait.
 */
export class WireConnection {
  private buffered: Buffer = Buffer.alloc(0);
  /** Set once logged in; null again once it has left the session. */
  private client: SessionClient | null = null;
  private busy = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: WireConnectionContext,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      void this.pump();
    });
    socket.once('close', () => {
      this.closed = true;
      // While a read is worked on, pump() leaves when it ends: never two runs on PGlite at once.
      if (!this.busy) this.leave();
    });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.closed && (await (this.client ? this.stepMessages() : this.stepStartup())));
    } catch (e) {
      this.ctx.onFailure?.('STORE.PGLITE_SESSION_FAILED', e);
      this.refuse('XX000', 'the PGlite server could not run this request');
    } finally {
      this.busy = false;
      if (this.closed) this.leave();
    }
  }

  /** The connection's first frames; false when it must wait for more bytes or has ended. */
  private async stepStartup(): Promise<boolean> {
    const frame = readStartupFrame(this.buffered);
    switch (frame.kind) {
      case 'incomplete':
        return false;
      case 'ssl':
      case 'gss':
        // No TLS on loopback: 'N' tells the client to go on in the clear (or give up, if it must).
        this.buffered = this.buffered.subarray(8);
        this.socket.write('N');
        return true;
      case 'cancel':
        // PGlite cannot interrupt a running statement; a cancel is closed without effect.
        this.end();
        return false;
      case 'invalid':
        this.refuse(frame.sqlState, frame.message);
        return false;
      case 'startup':
        this.buffered = this.buffered.subarray(frame.length);
        await this.login(frame.params);
        return !this.closed;
    }
  }

  /** Every complete message buffered, in one turn on the session; false when it must wait. */
  private async stepMessages(): Promise<boolean> {
    const frames = readTypedFrames(this.buffered);
    if (frames.kind === 'invalid') {
      this.refuse(frames.sqlState, frames.message);
      return false;
    }
    if (frames.types.length === 0) return false;
    const terminate = frames.types.indexOf('X');
    // Terminate ends this connection only: it must not reach PGlite, whose one session it would end.
    const upTo = terminate < 0 ? frames.bytes : byteOffsetOf(this.buffered, terminate);
    const batch = this.buffered.subarray(0, upTo);
    this.buffered = this.buffered.subarray(frames.bytes);
    if (batch.length > 0 && this.client) {
      const reply = await this.ctx.session.run(this.client, batch);
      if (!this.socket.destroyed) this.socket.write(reply);
    }
    if (terminate < 0) return true;
    this.end();
    return false;
  }

  private async login(params: Record<string, string>): Promise<void> {
    const who: SessionClient = { id: this.ctx.id, role: params.user ?? '' };
    const refused = await this.ctx.session.admit(who);
    if (refused) return this.refuse('28000', refused.message);
    this.client = who;
    const replies = [authenticationOk()];
    for (const [name, value] of this.ctx.settings) replies.push(parameterStatus(name, value));
    replies.push(parameterStatus('session_authorization', who.role));
    replies.push(backendKeyData(this.ctx.id, randomInt(2 ** 31 - 1)), readyForQuery('I'));
    this.socket.write(Buffer.concat(replies));
  }

  private refuse(sqlState: string, message: string): void {
    this.closed = true;
    this.socket.end(fatalError(sqlState, message));
  }

  private end(): void {
    this.closed = true;
    this.socket.end();
  }

  private leave(): void {
    if (!this.client) return;
    const gone = this.client;
    this.client = null;
    this.ctx.session
      .leave(gone)
      .catch((e: unknown) => this.ctx.onFailure?.('STORE.PGLITE_LEAVE_FAILED', e));
  }
}

/** Where the `index`-th typed message starts in `buf`. */
function byteOffsetOf(buf: Buffer, index: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) at += 1 + buf.readInt32BE(at + 1);
  return at;
}
