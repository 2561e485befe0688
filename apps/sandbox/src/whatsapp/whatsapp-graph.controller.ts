import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WhatsAppAuthGuard } from './whatsapp-auth.guard';
import { WhatsAppErrorFilter } from './whatsapp-error.filter';
import { GraphErrors } from './whatsapp-graph.errors';
import { WhatsAppMessagesService } from './whatsapp-messages.service';
import { WhatsAppStateService } from './whatsapp-state.service';

const VERSION = /^v\d+\.\d+$/;

/**
 * The Cloud-API-faithful part: POST /{version}/{phone-number-id}/messages, GET /{version}/{media-id}
 * (retrieve media URL) and the media download, all with the bearer token, errors in Graph's shape.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
@Controller()
@UseGuards(WhatsAppAuthGuard)
@UseFilters(WhatsAppErrorFilter)
export class WhatsAppGraphController {
  constructor(
    private readonly messages: WhatsAppMessagesService,
    private readonly state: WhatsAppStateService,
  ) {}

  @Post(':version/:phoneNumberId/messages')
  @HttpCode(200)
  send(
    @Param('version') version: string,
    @Param('phoneNumberId') phoneNumberId: string,
    @Body() body: unknown,
  ): Record<string, unknown> {
    if (!VERSION.test(version)) throw GraphErrors.unknownPhoneNumber(phoneNumberId);
    return this.messages.send(
      phoneNumberId,
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    );
  }

  @Get('whatsapp-media/:mediaId')
  async download(@Param('mediaId') mediaId: string, @Res() reply: FastifyReply): Promise<void> {
    const media = this.state.getMedia(mediaId);
    if (!media) throw GraphErrors.mediaNotFound(mediaId);
    await reply.header('content-type', media.mimeType).send(media.bytes);
  }

  @Get(':version/:mediaId')
  mediaUrl(
    @Param('version') version: string,
    @Param('mediaId') mediaId: string,
    @Req() req: FastifyRequest,
  ): Record<string, unknown> {
    const media = VERSION.test(version) ? this.state.getMedia(mediaId) : undefined;
    if (!media) throw GraphErrors.mediaNotFound(mediaId);
    return {
      messaging_product: 'whatsapp',
      url: `${req.protocol}://${req.headers.host ?? '127.0.0.1'}/whatsapp-media/${media.id}`,
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.length,
      id: media.id,
    };
  }
}
