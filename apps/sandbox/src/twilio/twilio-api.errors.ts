/**
 * An error exactly as Twilio's REST API returns it: HTTP status plus the JSON body
 * `{code, message, more_info, status}` (https://www.twilio.com/docs/api/errors).
 * The twilio SDK turns that body into a RestException with the same `code` and `status`.
 */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toBody(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

export const TwilioErrors = {
  authenticate: () =>
    new TwilioApiError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.'),
  notFound: (path: string) =>
    new TwilioApiError(404, 20404, `The requested resource ${path} was not found`),
  invalidTo: (to: string) =>
    new TwilioApiError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  toRequired: () => new TwilioApiError(400, 21604, "A 'To' phone number is required."),
  fromRequired: () => new TwilioApiError(400, 21603, "A 'From' phone number is required."),
  bodyRequired: () => new TwilioApiError(400, 21602, 'Message body is required.'),
  bodyTooLong: () =>
    new TwilioApiError(
      400,
      21617,
      'The concatenated message body exceeds the 1600 character limit.',
    ),
  unsubscribed: () => new TwilioApiError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  invalidStatusCallback: () => new TwilioApiError(400, 21609, 'Invalid StatusCallback URL'),
  /** A scripted outage (control API): 429 Too Many Requests, 500, 503... */
  fault: (status: number) =>
    status === 429
      ? new TwilioApiError(429, 20429, 'Too Many Requests')
      : new TwilioApiError(status, 20500, 'An internal server error has occurred'),
  internal: () => new TwilioApiError(500, 20500, 'An internal server error has occurred'),
} as const;

/** Delivery errors of status callbacks (https://www.twilio.com/docs/api/errors/30003...). */
export const DELIVERY_ERROR_MESSAGES: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};
