import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { pollUntil } from '@omnigate/testing';
import { SmtpListenerService } from '../src/inbound/smtp-listener.service';
import { SUPPORT, startEmailSystem } from './email-test-system';
import type { EmailSystem } from './email-test-system';

const PER_IP = 2;
const PER_MINUTE = 3;

/** A raw SMTP client: what a sending server (or an attacker) writes on the socket, line by line. */
class SmtpLine {
  private buffer = '';
  private readonly waiting: Array<(line: string) => void> = [];
  private readonly lines: string[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        // Multi-line replies (EHLO) count as their last line.
        if (/^\d{3}-/.test(line)) continue;
        const next = this.waiting.shift();
        if (next) next(line);
        else this.lines.push(line);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w('(closed)');
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, first?: string): Promise<SmtpLine> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        // A PROXY header goes first, before the greeting, as a balancer sends it.
        if (first !== undefined) socket.write(`${first}\r\n`);
        resolve(new SmtpLine(socket));
      });
      socket.once('error', reject);
    });
  }

  /** The next reply line (or '(closed)'). */
  reply(): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve('(closed)');
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('gateway-email SMTP listener: connection and message limits, PROXY headers', () => {
  let sys: EmailSystem;
  const open: SmtpLine[] = [];
  const port = () => Number(sys.gatewayEnv.EMAIL_SMTP_PORT);
  /** Connects and reads the greeting (so the listener has counted the connection). */
  const greeted = async (first?: string): Promise<{ c: SmtpLine; greeting: string }> => {
    const c = await SmtpLine.open(port(), first);
    open.push(c);
    return { c, greeting: await c.reply() };
  };
  const listener = () => sys.gateway.app.get(SmtpListenerService);
  /** Closes this test's connections and waits until the listener has released their slots. */
  const closeAll = async (): Promise<void> => {
    for (const c of open.splice(0)) c.close();
    await pollUntil(() => listener().openFrom('127.0.0.1') === 0, {
      what: 'the listener released the closed connections',
    });
  };

  beforeAll(async () => {
    sys = await startEmailSystem({
      EMAIL_SMTP_MAX_CONNECTIONS_PER_IP: String(PER_IP),
      EMAIL_SMTP_MESSAGES_PER_MINUTE_PER_IP: String(PER_MINUTE),
    });
  });
  afterEach(closeAll);
  afterAll(async () => {
    await closeAll();
    await sys?.stop();
  });

  it('ATTACK: more connections than the limit from one address: the extra one gets 421 and is closed', async () => {
    for (let i = 0; i < PER_IP; i++) expect((await greeted()).greeting).toMatch(/^220 /);
    const extra = await greeted();
    expect(extra.greeting).toMatch(/^421 4\.7\.0 Too many connections from your address/);
    expect(await extra.c.reply()).toBe('(closed)');
    expect(
      await sys.metric('omnigate_email_smtp_rejected_total', { reason: 'too_many_connections' }),
    ).toBeGreaterThanOrEqual(1);
    // Closing one frees its slot.
    open[0]!.close();
    await pollUntil(() => listener().openFrom('127.0.0.1') === PER_IP - 1, { what: 'slot freed' });
    expect((await greeted()).greeting).toMatch(/^220 /);
  });

  it('ATTACK: more mail transactions per minute than the limit from one address: 450, retry later', async () => {
    const { c } = await greeted();
    expect(await c.command('EHLO mail.example.it')).toMatch(/^250 /);
    const answers: string[] = [];
    for (let i = 0; i <= PER_MINUTE; i++) {
      answers.push(await c.command('MAIL FROM:<giulia.rossi@example.it>'));
      await c.command('RSET');
    }
    expect(answers.slice(0, PER_MINUTE).every((a) => a.startsWith('250'))).toBe(true);
    expect(answers[PER_MINUTE]).toMatch(
      /^450 4\.7\.1 Too many messages from your address, try again in \d+ s/,
    );
    // Nothing of it reached a RCPT or the bus; the session itself stays usable.
    expect(await c.command(`RCPT TO:<${SUPPORT}>`)).toMatch(/^503/);
    expect(
      await sys.metric('omnigate_email_smtp_rejected_total', { reason: 'rate_limited' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('ATTACK: a PROXY header from a peer that is not a configured balancer changes nothing', async () => {
    // Sent before the greeting, as a balancer would: an early talker, refused.
    const early = await greeted('PROXY TCP4 203.0.113.9 127.0.0.1 40000 25');
    expect(early.greeting).toMatch(/^421 /);
    // Sent as a command: unknown, and the connection still counts under the peer's own address.
    const late = await greeted();
    expect(late.greeting).toMatch(/^220 /);
    expect(await late.c.command('PROXY TCP4 203.0.113.10 127.0.0.1 40001 25')).toMatch(/^5\d\d /);
    const second = await greeted();
    expect(second.greeting).toMatch(/^220 /);
    expect(await second.c.command('PROXY TCP4 203.0.113.11 127.0.0.1 40002 25')).toMatch(/^5\d\d /);
    expect((await greeted()).greeting).toMatch(/^421 4\.7\.0 Too many connections/);
  });

  it('from a configured balancer, the PROXY header names the client the limits count', async () => {
    sys.gatewayEnv.EMAIL_SMTP_PROXIES = '127.0.0.1';
    await sys.restartGateway();
    const via = (ip: string) => `PROXY TCP4 ${ip} 127.0.0.1 40000 25`;
    for (let i = 0; i < PER_IP; i++) {
      expect((await greeted(via('203.0.113.20'))).greeting).toMatch(/^220 /);
    }
    expect(listener().openFrom('203.0.113.20')).toBe(PER_IP);
    expect(listener().openFrom('127.0.0.1')).toBe(0);
    // Another client behind the same balancer has its own slots; the first one is full.
    expect((await greeted(via('203.0.113.21'))).greeting).toMatch(/^220 /);
    expect((await greeted(via('203.0.113.20'))).greeting).toMatch(/^421 4\.7\.0/);
    // A connection from the balancer without the header is refused (the header is required).
    const bare = await SmtpLine.open(port());
    open.push(bare);
    bare.socket.write('EHLO x\r\n');
    expect(await bare.reply()).toMatch(/^\* BAD|\(closed\)/);
  });
});
