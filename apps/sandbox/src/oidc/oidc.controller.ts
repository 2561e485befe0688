import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, OidcProviderService } from './oidc-provider.service';
import type { AuthorizeRequest } from './oidc-provider.service';

type Form = Record<string, string | undefined>;

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1), or null. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return null;
  }
}

/** The OpenID Connect stand-in under /oidc: discovery, authorize (auto-approve), token, JWKS. */
@Controller('oidc')
export class OidcController {
  constructor(private readonly provider: OidcProviderService) {}

  @Get('.well-known/openid-configuration')
  discovery(@Req() req: FastifyRequest): Record<string, unknown> {
    return this.provider.discovery(this.provider.issuerFor(req.headers.host));
  }

  @Get('jwks')
  jwks(): ReturnType<OidcProviderService['jwks']> {
    return this.provider.jwks();
  }

  @Get('authorize')
  async authorize(
    @Query() query: AuthorizeRequest,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const location = this.provider.authorize(query, this.provider.issuerFor(req.headers.host));
      await reply.status(302).header('location', location).send();
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      await reply.status(e.status).send({ error: e.error, error_description: e.description });
    }
  }

  @Post('token')
  @HttpCode(200)
  async token(
    @Body() body: Form | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const tokens = await this.provider.token(
        body ?? {},
        basicCredentials(req.headers.authorization),
      );
      await reply.header('cache-control', 'no-store').send(tokens);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      await reply.status(e.status).send({ error: e.error, error_description: e.description });
    }
  }
}
