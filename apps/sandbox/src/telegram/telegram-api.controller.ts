import { All, Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '@omnigate/crypto';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { TelegramErrors } from './telegram-api.errors';
import { TelegramBotApiService } from './telegram-bot-api.service';
import { TelegramChatsService } from './telegram-chats.service';
import { TelegramErrorFilter } from './telegram-error.filter';
import type { ApiParams } from './telegram.types';

/**
 * The Bot API as the unchanged telegraf client calls it: `/bot<token>/<method>` with a JSON body,
 * a form, or a query string, answering `{ok:true,result}` or `{ok:false,error_code,description}`;
 * files at `/file/bot<token>/<file_path>`. A wrong token is 401, as at api.telegram.org.
 */
@Controller()
@UseFilters(TelegramErrorFilter)
export class TelegramApiController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly api: TelegramBotApiService,
    private readonly chats: TelegramChatsService,
  ) {}

  @All('bot:token/:method')
  async call(
    @Param('token') token: string,
    @Param('method') method: string,
    @Req() req: FastifyRequest,
  ): Promise<{ ok: true; result: unknown }> {
    this.checkToken(token);
    const params: ApiParams = {
      ...(req.query as ApiParams),
      ...(typeof req.body === 'object' && req.body !== null ? (req.body as ApiParams) : {}),
    };
    return { ok: true, result: await this.api.call(method, params) };
  }

  @Get('file/bot:token/*')
  download(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.checkToken(token);
    const path = (req.params as Record<string, string>)['*'] ?? '';
    const file = this.chats.fileByPath(path);
    if (!file) {
      void reply
        .status(404)
        .header('content-type', 'application/json')
        .send(TelegramErrors.badRequest('file not found').toBody());
      return;
    }
    void reply.status(200).header('content-type', file.mimeType).send(file.bytes);
  }

  private checkToken(token: string): void {
    if (!safeEqual(token, this.config.SANDBOX_TELEGRAM_BOT_TOKEN)) {
      throw TelegramErrors.unauthorized();
    }
  }
}
