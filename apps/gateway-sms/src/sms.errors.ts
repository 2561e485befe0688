import { AppError } from '@omnigate/kit';

/** A Twilio webhook without X-Twilio-Signature: 403, nothing published. */
export class SmsSignatureMissingError extends AppError {
  constructor() {
    super('SMS.SIGNATURE_MISSING', 'The X-Twilio-Signature header is missing');
  }
}

/** A Twilio webhook whose signature does not match: 403, nothing published. */
export class SmsSignatureInvalidError extends AppError {
  constructor() {
    super('SMS.SIGNATURE_INVALID', 'The X-Twilio-Signature header does not match this request');
  }
}

/** A signed webhook whose form lacks what we need (MessageSid, From, To...): 400 with the reason. */
export class SmsPayloadMalformedError extends AppError {
  constructor(reason: string) {
    super('SMS.PAYLOAD_MALFORMED', reason);
  }
}

/** The sender's number cannot be read as a phone number: 400. */
export class SmsFromInvalidError extends AppError {
  constructor() {
    super('SMS.FROM_INVALID', "'From' is not a valid phone number");
  }
}
