import { NatsConnection, serveRequests } from '@omnigate/bus';
import type { RequestHandle, RunningResponder } from '@omnigate/bus';
import type { RequestDeclaration } from '@omnigate/contracts';
import type { BusProbe } from './bus-probe';

/**
 * A test's stand-in for a service answering a declared request (the console's tests play the
 * router): the same envelope, schemas and error codes as an `@OnRequest` method, without the
 * service. Stops with the probe's module (NatsConnection's shutdown order), or by `stop()`.
 * `ready` resolves once the server has the subscription: a request sent on another connection
 * right after must await it, or it may find no responder.
 */
export function serveRequest<D extends RequestDeclaration>(
  probe: BusProbe,
  declaration: D,
  handle: RequestHandle<D>,
  queue = 'router',
): RunningResponder & { ready: Promise<void> } {
  const conn = probe.get(NatsConnection);
  const running = serveRequests(conn.connection(), declaration, queue, handle);
  conn.onShutdown(() => running.stop(), `test double ${declaration.subject}`);
  const ready = conn.connection().flush();
  // Handled here too, so a test that does not await it is not failed by a late rejection.
  ready.catch(() => undefined);
  return { ...running, ready };
}
