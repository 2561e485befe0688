/**
 * Base of every domain error: a stable `code` ('CHANNEL.SIGNATURE_INVALID') and a cause.
 * Only the edges translate codes (HTTP status, bus ack/nak/term); see error-status.ts.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options?.retryable ?? false;
  }
  readonly retryable: boolean;
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONFIG.INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}
