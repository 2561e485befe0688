/** Failures of the PGlite server that are not a client's SQL error (those go back as replies). */
export type PgliteServerErrorCode =
  /** The session could not take a client's role at its turn (SET ROLE refused). */
  | 'STORE.PGLITE_ROLE_SWITCH_FAILED'
  /** PGlite threw while running a client's messages: that client's connection is closed. */
  | 'STORE.PGLITE_SESSION_FAILED'
  /** Ending what a departed client left open (Sync, ROLLBACK) failed. */
  | 'STORE.PGLITE_LEAVE_FAILED';

export class PgliteServerError extends Error {
  override readonly name = 'PgliteServerError';

  constructor(
    readonly code: PgliteServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
