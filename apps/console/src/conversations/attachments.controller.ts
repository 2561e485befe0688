import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EmailAttachmentsReader, MessagesReader } from '@omnigate/store';
import { Audited } from '../audit/audited.decorator';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard } from '../auth/conversation-access.guard';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { downloadHeaders, storedAttachmentId } from './attachment-download.mapper';
import { AttachmentNotFoundError } from './attachments.errors';
import { AttachmentIndexSchema, ConversationIdSchema, MessageIdSchema } from './conversations.dto';

/** A customer's file, by link from the timeline: checked, audited, always served as a download. */
@ApiTags('conversations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/conversations/:id/messages/:messageId/attachments')
export class AttachmentsController {
  constructor(
    private readonly messages: MessagesReader,
    private readonly attachments: EmailAttachmentsReader,
  ) {}

  @Get(':index')
  @Audited('attachment.view')
  @UseGuards(ConversationAccessGuard)
  @ApiOperation({
    summary: "Download one of a message's attachments",
    description:
      'Content we hold (email attachments, decrypted for the download). Media that only the provider ' +
      'holds (Telegram, WhatsApp) answers 404 with that reason.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiParam({ name: 'index', description: 'position in the message’s attachments, from 0' })
  @ApiProduces('application/octet-stream')
  @ApiErrors(
    [400, 'REQUEST.INVALID'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN'],
    [
      404,
      'CONSOLE.ATTACHMENT_NOT_FOUND (no such message or attachment, erased, or held by the provider)',
    ],
  )
  async download(
    @Param('id', new ZodValidationPipe(ConversationIdSchema)) id: string,
    @Param('messageId', new ZodValidationPipe(MessageIdSchema)) messageId: string,
    @Param('index', new ZodValidationPipe(AttachmentIndexSchema)) index: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const message = await this.messages.get(messageId);
    if (!message || message.conversationId !== id) {
      throw new AttachmentNotFoundError(`message ${messageId} is not in conversation ${id}`);
    }
    const ref = message.attachments[index];
    if (!ref) throw new AttachmentNotFoundError(`message ${messageId} has no attachment ${index}`);
    const storedId = storedAttachmentId(ref.ref);
    if (!storedId) {
      throw new AttachmentNotFoundError(
        'this file is held by the provider, not by Omnigate: open it in the provider’s console',
      );
    }
    const row = await this.attachments.get(storedId);
    if (!row) throw new AttachmentNotFoundError('this attachment was erased');
    void reply.headers(downloadHeaders(row.mimeType, row.filename, row.content.length));
    return row.content;
  }
}
