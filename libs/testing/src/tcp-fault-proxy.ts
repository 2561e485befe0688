import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP proxy between apps and a server (PostgreSQL) that a test can take down and bring back:
 * `stop()` cuts every connection and stops listening (new connections are refused, as from a
 * stopped database), `start()` listens again on the same port. Nothing else on the machine
 * notices: the real server keeps running for everyone else.
 */
export class TcpFaultProxy {
  private server: Server | null = null;
  private readonly open = new Set<Socket>();
  private accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private port: number,
  ) {}

  /** Listens on 127.0.0.1 (a free port unless given) and forwards to `target`. */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpFaultProxy> {
    const proxy = new TcpFaultProxy(target, port);
    await proxy.start();
    return proxy;
  }

  get listeningPort(): number {
    return this.port;
  }

  /** Connections accepted since the proxy was made. */
  get connections(): number {
    return this.accepted;
  }

  /** `postgres://...@host:port/db` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** Every connection cut at once, and no new one accepted until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    this.open.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    this.accepted++;
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
