import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '@omnigate/crypto';
import { CORE_BANKING_OPTIONS } from './core-banking.config';
import type { CoreBankingSandboxOptions } from './core-banking.config';
import { CoreBankingUnauthorizedError } from './core-banking.errors';

/** `Authorization: Bearer <key>`, compared in constant time; anything else is a 401. */
@Injectable()
export class CoreBankingAuthGuard implements CanActivate {
  constructor(@Inject(CORE_BANKING_OPTIONS) private readonly options: CoreBankingSandboxOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1] || !safeEqual(match[1], this.options.apiKey)) {
      throw new CoreBankingUnauthorizedError();
    }
    return true;
  }
}
