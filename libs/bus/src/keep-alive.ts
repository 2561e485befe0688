import type { JsMsg } from 'nats';

/**
 * Messages a consumer holds but is not handling right now (waiting for their key or a slot,
 * or waiting out an outage): told `working()` often enough that ack_wait never runs out, so the
 * server neither redelivers them (which would count a delivery) nor gives them to another
 * instance. A handler that runs is not kept alive: if it hangs past ack_wait, it is redelivered.
 */
export class KeepAlive {
  private readonly held = new Set<JsMsg>();
  private readonly timer: NodeJS.Timeout;

  constructor(ackWaitMs: number) {
    this.timer = setInterval(() => this.touchAll(), Math.max(100, Math.floor(ackWaitMs / 3)));
    this.timer.unref();
  }

  hold(m: JsMsg): void {
    this.held.add(m);
  }

  /** Held again after a wait began: told at once, the attempt before may have taken a while. */
  holdNow(m: JsMsg): void {
    this.held.add(m);
    touch(m);
  }

  release(m: JsMsg): void {
    this.held.delete(m);
  }

  stop(): void {
    clearInterval(this.timer);
    this.held.clear();
  }

  private touchAll(): void {
    for (const m of this.held) touch(m);
  }
}

function touch(m: JsMsg): void {
  try {
    m.working();
  } catch {
    // Disconnected: the server redelivers after ack_wait, and the handler is idempotent.
  }
}
