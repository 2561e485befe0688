import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { AppErrorFilter } from '@omnigate/kit';
import { CoreBankingAuthGuard } from './core-banking-auth.guard';
import { CoreBankingCardsService } from './core-banking-cards.service';
import { CoreBankingState } from './core-banking-state.service';
import {
  CoreBankingDownError,
  CoreBankingRequestInvalidError,
  CoreCustomerNotFoundError,
} from './core-banking.errors';
import { toApiCard, toApiCustomer, toApiTransaction } from './core-banking.mapper';
import type { ApiCard, ApiCustomer, ApiTransaction } from './core-banking.mapper';

const LookupQuery = z.object({
  phone: z.string().max(32).optional(),
  appUserId: z.string().min(1).max(256).optional(),
  email: z.string().min(3).max(320).optional(),
});
const TransactionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const CardActionBody = z.object({
  /** Who acts: an agent's id as the caller knows it. */
  actor: z.string().min(1).max(128),
  reason: z.string().min(1).max(500),
});

/**
 * A bank's core system as the router sees it: customers by verified phone, email or app user id,
 * cards with block reasons (block and unblock them), recent transactions, KYC status. The
 * contract: docs/core-banking.openapi.json. Test controls: core-banking-control.controller.ts.
 */
@Controller('core/v1')
@UseGuards(CoreBankingAuthGuard)
@UseFilters(AppErrorFilter)
export class CoreBankingController {
  constructor(
    private readonly state: CoreBankingState,
    private readonly cardActions: CoreBankingCardsService,
  ) {}

  @Get('customers')
  async lookup(@Query() query: unknown): Promise<ApiCustomer> {
    const q = LookupQuery.parse(query);
    const given = [q.phone, q.appUserId, q.email].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new CoreBankingRequestInvalidError('give exactly one of phone, appUserId or email');
    }
    await this.gate();
    const found =
      q.phone !== undefined
        ? this.state.findByPhone(normalisePhone(q.phone))
        : q.email !== undefined
          ? this.state.findByEmail(q.email)
          : this.state.findByAppUser(q.appUserId!);
    if (!found) throw new CoreCustomerNotFoundError();
    return toApiCustomer(found);
  }

  @Get('customers/:id')
  async customer(@Param('id') id: string): Promise<ApiCustomer> {
    await this.gate();
    return toApiCustomer(this.existing(id));
  }

  @Get('customers/:id/cards')
  async cards(@Param('id') id: string): Promise<{ cards: ApiCard[] }> {
    await this.gate();
    this.existing(id);
    return { cards: this.state.cards(id).map(toApiCard) };
  }

  @Get('customers/:id/transactions')
  async transactions(
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<{ transactions: ApiTransaction[] }> {
    const { limit } = TransactionsQuery.parse(query);
    await this.gate();
    this.existing(id);
    return { transactions: this.state.transactions(id, limit).map(toApiTransaction) };
  }

  @Post('customers/:id/cards/:cardId/block')
  @HttpCode(200)
  async block(
    @Param('id') id: string,
    @Param('cardId') cardId: string,
    @Body() body: unknown,
  ): Promise<ApiCard> {
    const action = CardActionBody.parse(body);
    await this.gate();
    return toApiCard(this.cardActions.block(id, cardId, 'bank', action).card);
  }

  @Post('customers/:id/cards/:cardId/unblock')
  @HttpCode(200)
  async unblock(
    @Param('id') id: string,
    @Param('cardId') cardId: string,
    @Body() body: unknown,
  ): Promise<ApiCard> {
    const action = CardActionBody.parse(body);
    await this.gate();
    return toApiCard(this.cardActions.unblock(id, cardId, action).card);
  }

  /** Simulated latency and outage, applied to every data endpoint. */
  private async gate(): Promise<void> {
    const ms = this.state.latency();
    if (ms > 0) await delay(ms);
    if (this.state.isDown()) throw new CoreBankingDownError();
  }

  private existing(id: string) {
    const c = this.state.customer(id);
    if (!c) throw new CoreCustomerNotFoundError();
    return c;
  }
}

/** A '+' in a query string that was not percent-encoded arrives as a space. */
function normalisePhone(raw: string): string {
  const t = raw.trim();
  return /^\d+$/.test(t) ? `+${t}` : t;
}
