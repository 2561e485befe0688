import { ProviderSendError } from '@omnigate/gateway-kit';
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
 * A failed WhatsApp send as the provider's client reads it (the kit's send loop acts on `kind`):
 * rejected (never accepted: failed status, no retry) or retry (rate limit, outage, network, the
 * linked device offline). Codes: WHATSAPP.131026, WHATSAPP.OUTSIDE_24H_WINDOW...
 */
export class WhatsAppSendError extends ProviderSendError {}
