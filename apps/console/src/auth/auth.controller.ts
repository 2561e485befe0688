import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../http/openapi.decorators';
import { schemaRef } from '../http/openapi.schemas';
import { LoginBodySchema } from './auth.dto';
import type { LoginBody } from './auth.dto';
import { AuthService } from './auth.service';
import type { LoginResult } from './auth.service';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in an agent',
    description:
      "Returns a signed, stateless session token to send as `Authorization: Bearer <token>` and as the `/live` socket's `auth.token`.",
  })
  @ApiBody({ schema: schemaRef('LoginRequest') })
  @ApiOkResponse({
    description: 'the session token and when it expires',
    schema: schemaRef('LoginResponse'),
  })
  @ApiErrors(
    [400, 'REQUEST.INVALID (body malformed)'],
    [401, 'CONSOLE.UNAUTHORIZED (wrong agent id or password; which one is never said)'],
  )
  login(@Body(new ZodValidationPipe(LoginBodySchema)) body: LoginBody): LoginResult {
    return this.auth.login(body.agentId, body.password);
  }
}
