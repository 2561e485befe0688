import { AppError } from '@omnigate/kit';

/** The request is not one the simulator can play (bad channel, empty text, unknown persona...). */
export class SimulatorRequestInvalidError extends AppError {
  constructor(message: string) {
    super('SIMULATOR.REQUEST_INVALID', message);
  }
}

/** A channel whose simulator key is not set: 503 naming the key. */
export class SimulatorChannelNotConfiguredError extends AppError {
  constructor(
    readonly channel: string,
    readonly missing: string[],
  ) {
    super(
      'SIMULATOR.CHANNEL_NOT_CONFIGURED',
      `${channel} is not configured in the simulator: set ${missing.join(' and ')}`,
    );
  }
}

/** The gateway could not be reached at all (connection refused, timeout): 503. */
export class SimulatorGatewayUnavailableError extends AppError {
  constructor(channel: string, detail: string, cause?: unknown) {
    super('SIMULATOR.GATEWAY_UNAVAILABLE', `the ${channel} gateway did not answer: ${detail}`, {
      cause,
      retryable: true,
    });
  }
}

/** The gateway answered, but refused the customer's message: 502 with what it said. */
export class SimulatorGatewayRefusedError extends AppError {
  constructor(channel: string, detail: string) {
    super('SIMULATOR.GATEWAY_REFUSED', `the ${channel} gateway refused the message: ${detail}`);
  }
}

/** HTTP status of a simulator error code (the kit's suffix table has no 502 and no CONFIGURED). */
export function simulatorHttpStatus(code: string): number | undefined {
  switch (code) {
    case 'SIMULATOR.REQUEST_INVALID':
      return 400;
    case 'SIMULATOR.CHANNEL_NOT_CONFIGURED':
    case 'SIMULATOR.GATEWAY_UNAVAILABLE':
      return 503;
    case 'SIMULATOR.GATEWAY_REFUSED':
      return 502;
    default:
      return undefined;
  }
}
