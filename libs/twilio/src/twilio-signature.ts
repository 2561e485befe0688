import type { FastifyRequest } from 'fastify';
import type { TwilioRestClient } from './twilio-rest.client';

export type TwilioSignatureCheck = 'ok' | 'missing' | 'invalid';

/**
 * X-Twilio-Signature checked with the SDK against the configured public URL + the path and query
 * as received, over all form params (Twilio adds params without notice). Behind a proxy the Host
 * we see is not what Twilio signed, hence the explicit public URL (twilio-node #321).
 */
export function checkTwilioSignature(
  client: Pick<TwilioRestClient, 'validateSignature'>,
  publicUrl: string,
  req: Pick<FastifyRequest, 'headers' | 'body' | 'url'>,
): TwilioSignatureCheck {
  const signature = req.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature.length === 0) return 'missing';
  const params =
    typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  return client.validateSignature(publicUrl + req.url, params, signature) ? 'ok' : 'invalid';
}
