import { z } from 'zod';

/** Channels a customer can write on. Wire names: never rename without a new contract version. */
export const CHANNELS = ['sms', 'whatsapp', 'telegram', 'email', 'inapp'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;
