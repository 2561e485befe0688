import { z } from 'zod';

export const SEALED_OBJECT_V1 = 'omnigate.object.sealed.v1';

/**
 * JetStream object store buckets of sealed bytes. The email gateway puts, the router (which alone
 * holds the private key) takes attachments in and deletes them; quarantined mail waits for an
 * operator. Names are wire contracts like subjects.
 */
export const SealedObjectBuckets = {
  emailAttachments: 'email_attachments',
  emailQuarantine: 'email_quarantine',
} as const;

/**
 * One object's content: an HPKE (RFC 9180) box sealed to the router's intake public key
 * (`ROUTER_INTAKE_PUBLIC_KEY`), bound by its AAD to where it belongs (see the aad functions).
 */
export const SealedObjectV1Schema = z.object({
  type: z.literal(SEALED_OBJECT_V1),
  version: z.literal(1),
  kid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  enc: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
  ct: z.string().regex(/^[A-Za-z0-9_-]+$/),
});
export type SealedObjectV1 = z.infer<typeof SealedObjectV1Schema>;

const OBJECT_REF = /^obj:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** An attachment ref naming a sealed object in `email_attachments` (the object's name is the id). */
export const sealedObjectRef = (id: string): string => `obj:${id}`;

/** The object name of an `obj:<uuid>` ref, or null for any other ref. Pure. */
export function sealedObjectIdOf(ref: string): string | null {
  return OBJECT_REF.exec(ref)?.[1] ?? null;
}

/**
 * An attachment opens only as the attachment `ref` of the mail `providerMessageId` (its
 * Message-ID): an object moved under another name, or named by another mail, does not open.
 */
export const sealedAttachmentAad = (providerMessageId: string, ref: string): string =>
  `omnigate:email-attachment:v1:${providerMessageId}\n${ref}`;

/** A quarantined mail opens only under its own object name. */
export const quarantinedMailAad = (name: string): string => `omnigate:email-quarantine:v1:${name}`;
