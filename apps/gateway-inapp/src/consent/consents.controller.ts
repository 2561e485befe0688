import { Body, Controller, Get, HttpCode, Put, UseGuards } from '@nestjs/common';
import type { AppConsentsResponseV1 } from '@omnigate/contracts';
import type { AppPrincipal } from '../auth/app-principal.mapper';
import { AppBearerGuard, CurrentApp } from '../identity/app-bearer.guard';
import { InappRequestInvalidError } from '../identity/identity.controller';
import { parseAppConsentBody } from './consent-body.mapper';
import { RouterConsentClient } from './router-consent.client';

/**
 * The customer's consent per channel and purpose, read and set from the app with its login JWT.
 * The app user is the token's subject; the router checks these before every outbound message.
 */
@UseGuards(AppBearerGuard)
@Controller('v1/consents')
export class ConsentsController {
  constructor(private readonly router: RouterConsentClient) {}

  @Get()
  list(@CurrentApp() app: AppPrincipal): Promise<AppConsentsResponseV1> {
    return this.router.list(app.sub);
  }

  @Put()
  @HttpCode(200)
  set(@CurrentApp() app: AppPrincipal, @Body() body: unknown): Promise<AppConsentsResponseV1> {
    const parsed = parseAppConsentBody(body);
    if (!parsed.ok) throw new InappRequestInvalidError(parsed.reason);
    return this.router.set({ appUserId: app.sub, ...parsed.value });
  }
}
