import { z } from 'zod';

/**
 * The parts of a Bot API Update we read (https://core.telegram.org/bots/api#update). Unknown keys
 * are dropped; an update of another kind (inline query, poll...) still parses, with no message.
 */
const User = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  language_code: z.string().max(16).optional(),
});
const Chat = z.object({ id: z.number().int(), type: z.string() });
const File = z.object({
  file_id: z.string().min(1).max(512),
  file_unique_id: z.string().max(512).optional(),
  file_size: z.number().int().nonnegative().optional(),
});
const PhotoSize = File.extend({ width: z.number().int(), height: z.number().int() });
const Document = File.extend({
  file_name: z.string().max(255).optional(),
  mime_type: z.string().max(255).optional(),
});
const Voice = File.extend({ mime_type: z.string().max(255).optional() });

export const TelegramMessageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  from: User.optional(),
  chat: Chat,
  text: z.string().max(65_536).optional(),
  caption: z.string().max(65_536).optional(),
  photo: z.array(PhotoSize).max(20).optional(),
  document: Document.optional(),
  voice: Voice.optional(),
  audio: Document.optional(),
  video: Document.optional(),
  contact: z
    .object({
      phone_number: z.string().max(64),
      first_name: z.string().max(256).optional(),
      user_id: z.number().int().optional(),
    })
    .optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessageSchema>;

const ChatMember = z.object({ status: z.string() });

export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessageSchema.optional(),
  edited_message: z.unknown().optional(),
  my_chat_member: z
    .object({
      chat: Chat,
      from: User,
      new_chat_member: ChatMember,
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;
