import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TwilioErrors } from './twilio-api.errors';
import { TwilioAuthGuard } from './twilio-auth.guard';
import { TwilioErrorFilter } from './twilio-error.filter';
import { TwilioMessagesService } from './twilio-messages.service';
import { API_VERSION, toMessagePage, toMessageResource } from './twilio-resource.mapper';
import { formValue } from './twilio.types';
import type { FormBody } from './twilio.types';

const MESSAGE_FILE = /^(?<sid>(SM|MM)[0-9a-f]{32})\.json$/;

/**
 * The Twilio-faithful part of the sandbox: the Messages resource of the 2010-04-01 REST API,
 * what the unchanged twilio SDK calls (https://www.twilio.com/docs/messaging/api/message-resource).
 */
@Controller(`${API_VERSION}/Accounts/:accountSid`)
@UseGuards(TwilioAuthGuard)
@UseFilters(TwilioErrorFilter)
export class TwilioApiController {
  constructor(private readonly messages: TwilioMessagesService) {}

  @Post('Messages.json')
  @HttpCode(201)
  create(@Param('accountSid') accountSid: string, @Body() body: unknown): Record<string, unknown> {
    return toMessageResource(this.messages.create(accountSid, asForm(body)));
  }

  @Get('Messages.json')
  list(@Param('accountSid') accountSid: string, @Query() query: FormBody): Record<string, unknown> {
    const to = formValue(query, 'To');
    const from = formValue(query, 'From');
    const pageSize = clamp(Number(formValue(query, 'PageSize') ?? 50), 1, 1000);
    const page = clamp(Number(formValue(query, 'Page') ?? 0), 0, 1_000_000);
    const filter = new URLSearchParams({
      ...(to ? { To: to } : {}),
      ...(from ? { From: from } : {}),
    }).toString();
    const all = this.messages.list(accountSid, { to, from });
    return toMessagePage(accountSid, all, { page, pageSize }, filter);
  }

  @Get('Messages/:file')
  fetch(
    @Param('accountSid') accountSid: string,
    @Param('file') file: string,
    @Req() req: FastifyRequest,
  ): Record<string, unknown> {
    const sid = MESSAGE_FILE.exec(file)?.groups?.sid;
    const record = sid ? this.messages.get(accountSid, sid) : null;
    if (!record) throw TwilioErrors.notFound(req.url);
    return toMessageResource(record);
  }
}

function asForm(body: unknown): FormBody {
  return typeof body === 'object' && body !== null ? (body as FormBody) : {};
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), min), max) : min;
}
