import { gauge } from '@omnigate/kit';

const waitingGauge = gauge(
  'omnigate_bus_waiting_messages',
  'Messages a consumer holds while a dependency is down (database, core banking...)',
  ['consumer'],
);

/**
 * Which messages the app's consumers hold while waiting out a transient failure, by durable.
 * Readiness (`consumers`) says no while any does: the app is up but cannot do its work.
 */
export class ConsumerOutages {
  private readonly waiting = new Map<string, Map<number, string>>();

  begin(durable: string, seq: number, code: string): void {
    const held = this.waiting.get(durable) ?? new Map<number, string>();
    held.set(seq, code);
    this.waiting.set(durable, held);
    waitingGauge.set({ consumer: durable }, held.size);
  }

  end(durable: string, seq: number): void {
    const held = this.waiting.get(durable);
    if (!held?.delete(seq)) return;
    waitingGauge.set({ consumer: durable }, held.size);
    if (held.size === 0) this.waiting.delete(durable);
  }

  none(): boolean {
    return this.waiting.size === 0;
  }

  /** durable → the codes it is waiting on (for logs and tests). */
  snapshot(): Record<string, string[]> {
    return Object.fromEntries(
      [...this.waiting].map(([durable, held]) => [durable, [...new Set(held.values())]]),
    );
  }
}
