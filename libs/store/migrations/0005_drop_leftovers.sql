DROP TABLE "card_vault" CASCADE;--> statement-breakpoint
DROP TABLE "opt_outs" CASCADE;--> statement-breakpoint
DROP TABLE "email_messages" CASCADE;--> statement-breakpoint
-- Keys that sealed only what these tables held (the card vault's 'vault' key, the threading
-- records' 'mail:<Message-ID>' keys) are destroyed with them; a mail key that an older attachment
-- row still names stays until that customer's erasure or the attachment's retention.
UPDATE "data_keys" SET "wrapped" = NULL, "kek_id" = NULL, "destroyed_at" = now()
 WHERE "destroyed_at" IS NULL
   AND ("owner" = 'vault'
        OR ("owner" LIKE 'mail:%'
            AND "owner" NOT IN (SELECT "key_owner" FROM "email_attachments" WHERE "key_owner" IS NOT NULL)));
