import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { schemaRef, toOpenApiSchema } from '../http/openapi.schemas';
import { LoginBodySchema, SessionViewSchema } from './auth.dto';
import type { LoginBody } from './auth.dto';
import { AuthService } from './auth.service';
import type { LoginResult, SessionView } from './auth.service';
import { BearerAuthGuard, CurrentAgent } from './bearer-auth.guard';
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
    [401, 'CONSOLE.UNAUTHORIZED (wrong agent id or password; which one is never said)'],
  )
  async login(
    @Body(new ZodValidationPipe(LoginBodySchema)) body: LoginBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const result = await this.auth.login(body.agentId, body.password);
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
    summary: 'Clear the session cookie',
    description:
      'Session tokens are stateless: a bearer token copied elsewhere stays valid until it expires.',
  })
  @ApiNoContentResponse({ description: 'cookie cleared' })
  logout(@Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('set-cookie', this.auth.clearedSessionCookie());
  }
}
