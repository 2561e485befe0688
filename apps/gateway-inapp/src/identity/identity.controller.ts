import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { StepUpNonceSchema } from '@omnigate/contracts';
import type { DecideStepUpResponseV1, IssueLinkCodeResponseV1 } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import type { AppPrincipal } from '../auth/app-principal.mapper';
import { AppBearerGuard, CurrentApp } from './app-bearer.guard';
import { RouterIdentityClient } from './router-identity.client';

export class InappRequestInvalidError extends AppError {
  constructor(message: string) {
    super('INAPP.REQUEST_INVALID', message);
  }
}

const ApprovalIdSchema = z.uuid();
const DecisionSchema = z
  .object({ approve: z.boolean(), nonce: StepUpNonceSchema.optional() })
  .strict();

/**
 * The app's identity requests over HTTP, with the same login JWT as its socket: a code to link
 * another channel, and the answer to a step-up request. The app user is the token's subject.
 */
@UseGuards(AppBearerGuard)
@Controller('v1')
export class IdentityController {
  constructor(private readonly router: RouterIdentityClient) {}

  @Post('link-codes')
  @HttpCode(201)
  linkCode(@CurrentApp() app: AppPrincipal): Promise<IssueLinkCodeResponseV1> {
    return this.router.issueLinkCode(app.sub);
  }

  @Post('approvals/:approvalId')
  @HttpCode(200)
  decide(
    @CurrentApp() app: AppPrincipal,
    @Param('approvalId') approvalId: string,
    @Body() body: unknown,
  ): Promise<DecideStepUpResponseV1> {
    if (!ApprovalIdSchema.safeParse(approvalId).success) {
      throw new InappRequestInvalidError('approvalId must be a UUID');
    }
    const decision = DecisionSchema.safeParse(body);
    if (!decision.success) {
      throw new InappRequestInvalidError(
        'body must be { "approve": boolean, "nonce": the request\'s nonce (to approve) }',
      );
    }
    return this.router.decideStepUp({
      approvalId,
      appUserId: app.sub,
      approve: decision.data.approve,
      // What the verified JWT proves, never what the app claims.
      assurance: app.level,
      ...(app.authenticatedAt ? { authenticatedAt: app.authenticatedAt } : {}),
      // The nonce the push carried: the approval answers exactly the request shown.
      ...(decision.data.nonce ? { nonce: decision.data.nonce } : {}),
    });
  }
}
