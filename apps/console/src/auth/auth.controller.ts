import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { schemaRef, toOpenApiSchema } from '../http/openapi.schemas';
import { LoginBodySchema, SessionViewSchema } from './auth.dto';
import type { LoginBody } from './auth.dto';
import { AuthService } from './auth.service';
import type { LoginResult, SessionView } from './auth.service';
import { BearerAuthGuard, CurrentAgent, credentialOf } from './bearer-auth.guard';
import type { AuthedRequest } from './bearer-auth.guard';
import type { AgentSession } from './session-token.service';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with a local account',
    description:
      'Sets the HttpOnly `og_session` cookie for the web UI (changes then need the `x-csrf-token` ' +
      'header = `csrfToken`) and returns the same signed session token for API clients ' +
      '(`Authorization: Bearer <token>`) and the `/live` socket (`auth.token`).',
  })
  @ApiBody({ schema: schemaRef('LoginRequest') })
  @ApiOkResponse({ description: 'the session', schema: schemaRef('LoginResponse') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (body malformed)'],
    [
      401,
      'CONSOLE.UNAUTHORIZED (wrong agent id or password; which one is never said), ' +
        'CONSOLE.TOTP_REQUIRED (supervisor, admin, dpo: send `totp`), CONSOLE.TOTP_INVALID',
    ],
    [
      429,
      'CONSOLE.LOGIN_LOCKED (too many failures for the account or from the address; Retry-After)',
    ],
    [
      503,
      'CONSOLE.LOGIN_UNAVAILABLE (too many password checks at once; Retry-After), AUDIT.UNAVAILABLE',
    ],
  )
  async login(
    @Body(new ZodValidationPipe(LoginBodySchema)) body: LoginBody,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const result = await this.auth.login({
      agentId: body.agentId,
      password: body.password,
      ...(body.totp !== undefined && { totp: body.totp }),
      ip: req.ip,
    });
    void reply.header('set-cookie', this.auth.sessionCookie(result.token));
    return result;
  }

  @Get('me')
  @UseGuards(BearerAuthGuard)
  @ApiAgentAuth()
  @ApiOperation({ summary: 'The current session: who, role, queues, expiry and CSRF token' })
  @ApiOkResponse({ schema: toOpenApiSchema(SessionViewSchema, 'output') })
  me(@CurrentAgent() session: AgentSession, @Req() req: AuthedRequest): SessionView {
    return this.auth.view(session, req.agentSessionToken ?? '');
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session',
    description:
      'Revokes the session of the bearer token or cookie on the server (its token stops working ' +
      'everywhere, sockets included), audits it and clears the cookie. Without a valid session ' +
      'it only clears the cookie.',
  })
  @ApiNoContentResponse({ description: 'session ended, cookie cleared' })
  async logout(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    void reply.header('set-cookie', this.auth.clearedSessionCookie());
    const token = credentialOf(req);
    if (token) await this.auth.logout(token, req.ip);
  }
}
