import type { FastifyInstance, FastifyRequest } from 'fastify';

const RAW = Symbol('omnigate.rawBody');

type WithRaw = FastifyRequest & { [RAW]?: Buffer };

/**
 * Keeps the exact bytes of JSON bodies on the request: a signer (Meta's Cloud API, the bank's core
 * events) signs the raw body, and a re-serialised object would not match. Registered by the apps
 * that verify such signatures, on their own Fastify instance; parsing itself is Fastify's default
 * (prototype poisoning refused).
 */
export function registerRawJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer, done) => {
      (req as WithRaw)[RAW] = body;
      if (body.length === 0) {
        done(null, {});
        return;
      }
      void parseJson(req, body.toString('utf8'), done);
    },
  );
}

/** The request's body as received, when it was JSON. */
export function rawBodyOf(req: FastifyRequest): Buffer | undefined {
  return (req as WithRaw)[RAW];
}
