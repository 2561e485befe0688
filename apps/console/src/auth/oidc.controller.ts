import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../http/openapi.decorators';
import { AuthService } from './auth.service';
import { OIDC_STATE_COOKIE, parseCookies } from './cookie.mapper';
import { OidcLoginService } from './oidc-login.service';

type Query = Record<string, string | undefined>;
const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Single sign-on through the configured OpenID Connect provider (browser redirects). */
@ApiTags('auth')
@Controller('api/auth')
export class OidcController {
  constructor(
    private readonly oidc: OidcLoginService,
    private readonly auth: AuthService,
  ) {}

  @Get('methods')
  @ApiOperation({ summary: 'Which login methods this console offers (for the login page)' })
  @ApiOkResponse({ description: '{ local: true, oidc: boolean }' })
  methods(): { local: true; oidc: boolean } {
    return { local: true, oidc: this.oidc.enabled };
  }

  @Get('oidc/start')
  @ApiOperation({ summary: "Redirect to the identity provider's sign-in (PKCE S256)" })
  @ApiQuery({ name: 'login_hint', required: false })
  @ApiResponse({ status: 302, description: "to the provider's authorization endpoint" })
  @ApiErrors(
    [404, 'CONSOLE.OIDC_NOT_FOUND (single sign-on not configured)'],
    [503, 'CONSOLE.OIDC_UNAVAILABLE (the provider cannot be reached)'],
  )
  async start(@Query() query: Query, @Res() reply: FastifyReply): Promise<void> {
    const { location, cookie } = await this.oidc.start(one(query['login_hint']));
    await reply.status(302).header('location', location).header('set-cookie', cookie).send();
  }

  @Get('oidc/callback')
  @ApiOperation({
    summary: 'Where the provider sends the browser back: sets the session cookie, then 302 to /',
  })
  @ApiResponse({ status: 302, description: 'to / with the og_session cookie set' })
  @ApiErrors(
    [400, 'CONSOLE.OIDC_STATE_INVALID (no, expired or foreign sign-in; code refused)'],
    [401, 'CONSOLE.UNAUTHORIZED (provider refused, id_token invalid, no usable role or queues)'],
    [404, 'CONSOLE.OIDC_NOT_FOUND'],
    [503, 'CONSOLE.OIDC_UNAVAILABLE'],
  )
  async callback(
    @Query() query: Query,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const stateCookie = parseCookies(req.headers.cookie)[OIDC_STATE_COOKIE];
    const login = await this.oidc.callback(
      { code: one(query['code']), state: one(query['state']), error: one(query['error']) },
      stateCookie,
      req.ip,
    );
    await reply
      .status(302)
      .header('location', '/')
      .header('set-cookie', [this.auth.sessionCookie(login.token), this.oidc.clearedStateCookie()])
      .send();
  }
}
