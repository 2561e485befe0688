import { z } from 'zod';
import { SimulatorRequestInvalidError } from './simulator.errors';
import { SIMULATOR_CHANNELS, addressProblem } from './simulator-personas.mapper';
import type { Persona, SimulatorChannel } from './simulator-personas.mapper';

const channel = z.enum(SIMULATOR_CHANNELS, {
  error: `must be one of ${SIMULATOR_CHANNELS.join(', ')}`,
});
const persona = z.string().trim().min(1).max(64);
const address = z.string().trim().min(1).max(320);

export const SendRequestSchema = z
  .object({
    channel,
    persona: persona.optional(),
    address: address.optional(),
    text: z.string().trim().max(4096, 'at most 4096 characters').optional(),
    /** Email only: the subject (default: the text's first line). */
    subject: z.string().trim().max(200).optional(),
    /** Telegram only: the customer shares their own contact (their phone), which links the chat. */
    shareContact: z.boolean().optional(),
    /**
     * WhatsApp and Telegram only: when the customer sent it, which the provider stamps on the
     * message (Cloud `timestamp`, Telegram `date`); default now. A message that waited in a
     * phone's offline queue or in Telegram's while the bot was down arrives with an older one.
     */
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((r) => (r.text !== undefined && r.text.length > 0) || r.shareContact === true, {
    message: 'must not be empty',
    path: ['text'],
  })
  .refine((r) => r.shareContact !== true || r.channel === 'telegram', {
    message: 'is for the telegram channel only',
    path: ['shareContact'],
  })
  .refine((r) => r.sentAt === undefined || r.channel === 'whatsapp' || r.channel === 'telegram', {
    // Twilio's SMS webhook, the app's socket and SMTP carry no provider send time.
    message: 'is for the whatsapp and telegram channels only (their providers stamp it)',
    path: ['sentAt'],
  });
export type SendRequest = z.infer<typeof SendRequestSchema>;

export const InboxQuerySchema = z
  .object({
    channel: channel.optional(),
    persona: persona.optional(),
    address: address.optional(),
  })
  .strict();
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

/** Parses or throws SIMULATOR.REQUEST_INVALID with every problem in one line. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const msg = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new SimulatorRequestInvalidError(msg);
}

/** Who the customer is on one channel: a seeded persona's address, or an address given as is. */
export interface Target {
  channel: SimulatorChannel;
  address: string;
  persona: Persona | null;
}

export function resolveTarget(
  personas: readonly Persona[],
  ch: SimulatorChannel,
  personaId: string | undefined,
  given: string | undefined,
): Target {
  if (personaId !== undefined) {
    const p = findPersona(personas, personaId);
    const a = p.addresses[ch];
    if (a === undefined) {
      throw new SimulatorRequestInvalidError(`persona ${p.id} has no ${ch} address`);
    }
    return { channel: ch, address: a, persona: p };
  }
  if (given === undefined) throw new SimulatorRequestInvalidError('give persona or address');
  const problem = addressProblem(ch, given);
  if (problem) throw new SimulatorRequestInvalidError(`address: ${problem} for ${ch}`);
  // An address that belongs to a persona still plays that persona (its name on WhatsApp, Telegram).
  const owner = personas.find((p) => p.addresses[ch]?.toLowerCase() === given.toLowerCase());
  return { channel: ch, address: given, persona: owner ?? null };
}

export function findPersona(personas: readonly Persona[], id: string): Persona {
  const p = personas.find((x) => x.id === id);
  if (!p) {
    throw new SimulatorRequestInvalidError(
      `unknown persona ${JSON.stringify(id)}; known: ${personas.map((x) => x.id).join(', ')}`,
    );
  }
  return p;
}
