import type { PGlite } from '@electric-sql/pglite';
import { PgliteServerError } from './pglite-server.errors';
import { firstError, readyStatusAtEnd, simpleQuery, syncMessage } from './wire-frames.mapper';

/** One client connection as the session sees it: who it logs in as. */
export interface SessionClient {
  readonly id: number;
  /** The role its startup named; the session runs its messages as that role. */
  readonly role: string;
}

/** Role names the server will put in SET ROLE: lowercase identifiers, nothing to quote around. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isServableRole(role: string): boolean {
  return ROLE_NAME.test(role);
}

/**
 * PGlite is one PostgreSQL session. Several clients share it one at a time: a client that sends a
 * message owns the session until a reply ends with ReadyForQuery 'I' (idle). So an extended-
 * protocol exchange (Parse … Sync) and a whole transaction (BEGIN … COMMIT) run without another
 * client's message in between; the others wait in arrival order. Holding the session per message
 * instead lets one client bind another's unnamed statement (seen with @electric-sql/pglite-socket
 * 0.2.18: "bind message supplies 2 parameters, but prepared statement "" requires 1").
 *
 * What stays shared, unlike a real server: session settings a client SETs itself and named
 * prepared statements (our apps use neither).
 */
export class PgliteSessionService {
  private owner: SessionClient | null = null;
  private readonly waiting: Array<{ client: SessionClient; go: () => void }> = [];
  /** The role the session currently runs as (SET ROLE); the session user at start. */
  private currentRole: string;

  constructor(
    private readonly pg: PGlite,
    private readonly sessionUser: string,
  ) {
    this.currentRole = sessionUser;
  }

  /**
   * Runs `messages` (complete frontend messages) for `client` and returns the backend's reply. It
   * waits while another client owns the session, and keeps the session for `client` until the
   * reply says idle.
   */
  async run(client: SessionClient, messages: Uint8Array): Promise<Uint8Array> {
    await this.acquire(client);
    let reply: Uint8Array;
    try {
      const failed = await this.switchRole(client.role);
      if (failed) {
        throw new PgliteServerError(
          'STORE.PGLITE_ROLE_SWITCH_FAILED',
          `SET ROLE ${client.role} failed with SQLSTATE ${failed.code}`,
        );
      }
      reply = await this.pg.execProtocolRaw(messages);
    } catch (e) {
      // PGlite itself failed (an SQL error is a reply, not a throw): the session state is unknown.
      this.release(client);
      throw e;
    }
    if (readyStatusAtEnd(reply) === 'I') this.release(client);
    return reply;
  }

  /**
   * Checks at login that the session can run as `role`: null when it can, else the database's
   * error (unknown role…). Takes its turn like any message.
   */
  async admit(client: SessionClient): Promise<{ code: string; message: string } | null> {
    if (!isServableRole(client.role)) {
      return { code: '28000', message: `role name "${client.role}" is not served here` };
    }
    await this.acquire(client);
    try {
      return await this.switchRole(client.role);
    } finally {
      this.release(client);
    }
  }

  /**
   * A client went away. If it owned the session mid-exchange or mid-transaction, what it left is
   * ended (Sync, then ROLLBACK) before the next client's turn; if it was waiting, it leaves the line.
   */
  async leave(client: SessionClient): Promise<void> {
    const at = this.waiting.findIndex((w) => w.client === client);
    if (at >= 0) this.waiting.splice(at, 1);
    if (this.owner !== client) return;
    try {
      await this.pg.execProtocolRaw(syncMessage());
      await this.pg.execProtocolRaw(simpleQuery('ROLLBACK'));
    } finally {
      this.release(client);
    }
  }

  /** Clients waiting for their turn (for tests and the server's log). */
  get queued(): number {
    return this.waiting.length;
  }

  private async acquire(client: SessionClient): Promise<void> {
    if (this.owner === client) return;
    if (this.owner !== null) {
      await new Promise<void>((go) => this.waiting.push({ client, go }));
    }
    this.owner = client;
  }

  private release(client: SessionClient): void {
    if (this.owner !== client) return;
    this.owner = null;
    const next = this.waiting.shift();
    // The next client becomes the owner in acquire(), after its promise resolves.
    if (next) {
      this.owner = next.client;
      next.go();
    }
  }

  /** Runs as `role` from now on: least privilege per app, as each app's grants say. */
  private async switchRole(role: string): Promise<{ code: string; message: string } | null> {
    if (role === this.currentRole) return null;
    // The role name was checked against ROLE_NAME: no quoting is needed, none is possible.
    const sql = role === this.sessionUser ? 'RESET ROLE' : `SET ROLE ${role}`;
    const failed = firstError(await this.pg.execProtocolRaw(simpleQuery(sql)));
    if (!failed) this.currentRole = role;
    return failed;
  }
}
