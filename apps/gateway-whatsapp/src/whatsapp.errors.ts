import { AppError } from '@omnigate/kit';

/** A webhook without its signature header (X-Hub-Signature-256, X-Twilio-Signature): 403. */
export class WhatsAppSignatureMissingError extends AppError {
  constructor(header: string) {
    super('WHATSAPP.SIGNATURE_MISSING', `The ${header} header is missing`);
  }
}

/** A webhook whose signature does not match its body: 403, nothing published. */
export class WhatsAppSignatureInvalidError extends AppError {
  constructor(header: string) {
    super('WHATSAPP.SIGNATURE_INVALID', `The ${header} header does not match this request`);
  }
}

/** The GET verification handshake with a wrong mode or verify token: 403. */
export class WhatsAppVerifyForbiddenError extends AppError {
  constructor() {
    super(
      'WHATSAPP.VERIFY_FORBIDDEN',
      'hub.mode must be subscribe and hub.verify_token must match WHATSAPP_VERIFY_TOKEN',
    );
  }
}

/** A signed webhook whose payload lacks what we need: 400 with the reason. */
export class WhatsAppPayloadMalformedError extends AppError {
  constructor(reason: string) {
    super('WHATSAPP.PAYLOAD_MALFORMED', reason);
  }
}

/** The configured provider does not serve this route (e.g. the Cloud API webhook in twilio mode). */
export class WhatsAppRouteNotFoundError extends AppError {
  constructor(provider: string) {
    super(
      'WHATSAPP.ROUTE_NOT_FOUND',
      `This route is not served when WHATSAPP_PROVIDER=${provider}`,
    );
  }
}

/**
 * What the send handler must do after a failed send:
 * - rejected: the provider will never accept this message → failed status, no retry;
 * - retry: rate limit, provider outage, network, linked device offline → retry with backoff.
 */
export type SendFailureKind = 'rejected' | 'retry';

export class WhatsAppSendError extends AppError {
  constructor(
    readonly kind: SendFailureKind,
    /** Our stable code for the failed status (WHATSAPP.131026, WHATSAPP.OUTSIDE_24H_WINDOW...). */
    code: string,
    /** A reason a person can act on; never holds the recipient's number or the text. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(code, reason, { cause, retryable: kind === 'retry' });
  }
}
