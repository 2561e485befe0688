import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { SandboxConfig } from '../src/config/sandbox.config';
import { InappCustomerClient } from '../src/simulator/inapp-customer.client';
import {
  SimulatorGatewayRefusedError,
  SimulatorGatewayUnavailableError,
} from '../src/simulator/simulator.errors';

type Ack = (reply: unknown) => void;

/**
 * The simulator plays the bank's app, so it must follow the in-app protocol as the app would
 * (apps/gateway-inapp/PROTOCOL.md): an ack of BUS.UNAVAILABLE, GATEWAY.STREAMS_UNAVAILABLE,
 * GATEWAY.STATE_UNAVAILABLE or INTERNAL means "not stored, send the same thing again". CI saw the
 * simulator answer 502 "refused" to an in-app send under load. The gateway's code was not logged,
 * but the simulator knew only the first and the last of these, so it answered the two GATEWAY
 * codes as refusals (now the code is logged as well).
 * A real socket.io server stands in for the gateway here, answering from a script.
 */
describe('sandbox simulator: the in-app client sends again what the gateway could not store', () => {
  let http: HttpServer;
  let io: Server;
  let client: InappCustomerClient;
  /** The gateway's answers to `message`, in order; the last one repeats. */
  let script: Array<{ ok: true } | { ok: false; error: { code: string; message: string } }>;
  let received: string[] = [];

  beforeAll(async () => {
    http = createServer();
    io = new Server(http);
    io.on('connection', (socket) => {
      socket.on('resume', (_body: unknown, ack: Ack) => ack({ ok: true, messages: [] }));
      socket.on('message', (body: { clientMsgId: string }, ack: Ack) => {
        received.push(body.clientMsgId);
        ack(script[Math.min(received.length, script.length) - 1]);
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as AddressInfo;
    client = new InappCustomerClient({
      SANDBOX_SIMULATOR_INAPP_URL: `http://127.0.0.1:${port}`,
      SANDBOX_SIMULATOR_INAPP_JWT_SECRET: 'retry-test-secret-of-enough-length',
    } as SandboxConfig);
  });
  afterAll(async () => {
    client?.onApplicationShutdown();
    await io?.close();
  });
  beforeEach(() => {
    received = [];
  });

  const unavailable = (code: string) => ({ ok: false as const, error: { code, message: 'later' } });

  it('sends the same clientMsgId again after a retryable ack, until it is stored', async () => {
    script = [
      unavailable('GATEWAY.STREAMS_UNAVAILABLE'),
      unavailable('GATEWAY.STATE_UNAVAILABLE'),
      { ok: true },
    ];
    const { clientMsgId } = await client.send('app-retry-1', 'ciao');
    expect(received).toEqual([clientMsgId, clientMsgId, clientMsgId]);
  });

  it('answers "unavailable" (503), not "refused", when the gateway stays unable', async () => {
    script = [unavailable('GATEWAY.STREAMS_UNAVAILABLE')];
    await expect(client.send('app-retry-2', 'ciao')).rejects.toBeInstanceOf(
      SimulatorGatewayUnavailableError,
    );
    // The first try and one per pause, all the same message.
    expect(received).toHaveLength(5);
    expect(new Set(received).size).toBe(1);
  }, 20_000);

  it('does not send a refused message again', async () => {
    script = [unavailable('INAPP.MESSAGE_INVALID')];
    await expect(client.send('app-retry-3', 'ciao')).rejects.toBeInstanceOf(
      SimulatorGatewayRefusedError,
    );
    expect(received).toHaveLength(1);
  });
});
