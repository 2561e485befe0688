import { z } from 'zod';

/** A customer action to inject, as the control API takes it. */
export const InjectRequest = z
  .object({
    from: z.object({
      id: z.number().int().positive(),
      firstName: z.string().min(1).max(64).default('Cliente'),
      lastName: z.string().max(64).optional(),
      languageCode: z.string().max(16).optional(),
    }),
    text: z.string().min(1).max(4096).optional(),
    caption: z.string().max(1024).optional(),
    photo: z.boolean().optional(),
    document: z
      .object({
        fileName: z.string().min(1).max(255),
        mimeType: z.string().min(3).max(255).default('application/pdf'),
      })
      .optional(),
    voice: z.boolean().optional(),
    /** A shared contact; `userId` defaults to the sender (their own contact, verified by Telegram). */
    contact: z
      .object({
        phoneNumber: z.string().min(3).max(32),
        firstName: z.string().max(64).default('Contatto'),
        userId: z.number().int().positive().nullable().optional(),
      })
      .optional(),
    /** The customer blocked (true) or unblocked (false) the bot: a my_chat_member update. */
    blocked: z.boolean().optional(),
    /** Replays an update with this id (a Telegram redelivery); default: the next id. */
    updateId: z.number().int().nonnegative().optional(),
  })
  .refine(
    (r) =>
      [r.text, r.photo, r.document, r.voice, r.contact, r.blocked].some((v) => v !== undefined),
    { message: 'give text, photo, document, voice, contact or blocked' },
  );
export type InjectRequest = z.infer<typeof InjectRequest>;

export interface FileInfo {
  file_id: string;
  file_unique_id: string;
  file_size: number;
}

/** Builds the Bot API Update a real client would cause. Pure (ids and files given). */
export function buildUpdate(
  r: InjectRequest,
  ids: { updateId: number; messageId: number; now: number; botId: number },
  files: { photo?: FileInfo; document?: FileInfo; voice?: FileInfo },
): Record<string, unknown> & { update_id: number } {
  const user = {
    id: r.from.id,
    is_bot: false,
    first_name: r.from.firstName,
    ...(r.from.lastName ? { last_name: r.from.lastName } : {}),
    ...(r.from.languageCode ? { language_code: r.from.languageCode } : {}),
  };
  const chat = { id: r.from.id, type: 'private', first_name: r.from.firstName };
  if (r.blocked !== undefined) {
    const bot = { id: ids.botId, is_bot: true, first_name: 'bot' };
    return {
      update_id: ids.updateId,
      my_chat_member: {
        chat,
        from: user,
        date: ids.now,
        old_chat_member: { user: bot, status: r.blocked ? 'member' : 'kicked' },
        new_chat_member: { user: bot, status: r.blocked ? 'kicked' : 'member' },
      },
    };
  }
  const message: Record<string, unknown> = {
    message_id: ids.messageId,
    date: ids.now,
    from: user,
    chat,
  };
  if (r.text !== undefined) message.text = r.text;
  if (r.text?.startsWith('/')) {
    message.entities = [{ type: 'bot_command', offset: 0, length: r.text.split(/\s/)[0]!.length }];
  }
  if (r.caption !== undefined && r.text === undefined) message.caption = r.caption;
  if (files.photo) {
    const f = files.photo;
    // Telegram sends several sizes of one photo; the last is the largest.
    message.photo = [
      {
        ...f,
        file_id: `${f.file_id}_s`,
        file_size: Math.ceil(f.file_size / 10),
        width: 90,
        height: 67,
      },
      { ...f, width: 1280, height: 960 },
    ];
  }
  if (files.document && r.document) {
    message.document = {
      ...files.document,
      file_name: r.document.fileName,
      mime_type: r.document.mimeType,
    };
  }
  if (files.voice) message.voice = { ...files.voice, duration: 3, mime_type: 'audio/ogg' };
  if (r.contact) {
    const userId = r.contact.userId === undefined ? r.from.id : r.contact.userId;
    message.contact = {
      phone_number: r.contact.phoneNumber,
      first_name: r.contact.firstName,
      ...(userId !== null ? { user_id: userId } : {}),
    };
  }
  return { update_id: ids.updateId, message };
}
