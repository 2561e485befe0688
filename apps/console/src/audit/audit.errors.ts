import { AppError } from '@omnigate/kit';

/** The audit record could not be written: the data is not shown (no unaudited access). */
export class AuditUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('AUDIT.UNAVAILABLE', 'the audit log could not be written; try again', {
      cause,
      retryable: true,
    });
  }
}
