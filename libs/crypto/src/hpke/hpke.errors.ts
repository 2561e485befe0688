/** Errors of sealed boxes (HPKE). Codes are stable; callers translate them at their edge. */
export class HpkeError extends Error {
  override readonly name = 'HpkeError';

  constructor(
    readonly code:
      'CRYPTO.HPKE_KEY_INVALID' | 'CRYPTO.HPKE_UNKNOWN_KEY' | 'CRYPTO.HPKE_OPEN_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
