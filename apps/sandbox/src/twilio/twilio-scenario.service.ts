import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';

export interface DeliveryFailure {
  status: 'undelivered' | 'failed';
  errorCode: number;
}

/**
 * What tests and demos script through the control API: recipients whose messages end
 * undelivered, and the next N API calls answering an outage (429, 500, 503).
 */
@Injectable()
export class TwilioScenarioService {
  private readonly failing = new Map<string, DeliveryFailure>();
  private faults: { status: number; remaining: number } | null = null;

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {
    this.reset();
  }

  setFailing(number: string, failure: DeliveryFailure): void {
    this.failing.set(number, failure);
  }

  failureFor(number: string): DeliveryFailure | null {
    return this.failing.get(number) ?? null;
  }

  /** The next `count` create calls answer `status`. */
  setFaults(status: number, count: number): void {
    this.faults = count > 0 ? { status, remaining: count } : null;
  }

  /** Consumes one scripted fault, if any: the HTTP status the API must answer. */
  takeFault(): number | null {
    if (!this.faults) return null;
    const { status } = this.faults;
    this.faults.remaining -= 1;
    if (this.faults.remaining <= 0) this.faults = null;
    return status;
  }

  pendingFaults(): number {
    return this.faults?.remaining ?? 0;
  }

  reset(): void {
    this.failing.clear();
    this.faults = null;
    for (const n of this.config.SANDBOX_TWILIO_FAILING_NUMBERS) {
      this.failing.set(n, { status: 'undelivered', errorCode: 30003 });
    }
  }
}
