import { randomBytes } from 'node:crypto';

/** An error as the Graph API answers it: `{error: {message, type, code, error_subcode?, fbtrace_id}}`. */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly type = 'OAuthException',
    readonly details?: string,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.details
          ? { error_data: { messaging_product: 'whatsapp', details: this.details } }
          : {}),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    };
  }
}

/** Titles as Meta words them (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const GRAPH_ERROR_TITLES: Record<number, string> = {
  131047: 'Re-engagement message',
  131026: 'Message undeliverable',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131016: 'Service unavailable',
  131051: 'Unsupported message type',
  132001: 'Template does not exist',
};

/** HTTP status Meta answers for a send-time error code. */
export function httpStatusOfGraphCode(code: number): number {
  if (code === 190) return 401;
  if (code === 131000 || code === 131016) return 500;
  if (code === 130429 || code === 80007) return 429;
  return 400;
}

export const GraphErrors = {
  invalidToken: () =>
    new GraphApiError(401, 190, 'Invalid OAuth access token - Cannot parse access token'),
  unknownPhoneNumber: (id: string) =>
    new GraphApiError(
      400,
      100,
      `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      'GraphMethodException',
    ),
  invalidParameter: (details: string) =>
    new GraphApiError(
      400,
      131009,
      '(#131009) Parameter value is not valid',
      'OAuthException',
      details,
    ),
  mediaNotFound: (id: string) =>
    new GraphApiError(
      404,
      100,
      `Unsupported get request. Object with ID '${id}' does not exist`,
      'GraphMethodException',
    ),
  scripted: (code: number) =>
    new GraphApiError(
      httpStatusOfGraphCode(code),
      code,
      `(#${code}) ${GRAPH_ERROR_TITLES[code] ?? 'Scripted error'}`,
      'OAuthException',
      GRAPH_ERROR_TITLES[code],
    ),
  internal: () => new GraphApiError(500, 1, 'An unknown error occurred', 'OAuthException'),
};
