CREATE TABLE "audit_log" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "card_vault" (
	"token" text PRIMARY KEY NOT NULL,
	"pan_sealed" text NOT NULL,
	"brand" text NOT NULL,
	"last4" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_keys" (
	"owner" text PRIMARY KEY NOT NULL,
	"kek_id" text,
	"wrapped" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"destroyed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "email_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL,
	"sealed" boolean DEFAULT false NOT NULL,
	"key_owner" text,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"filename" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"conversation_id" uuid,
	"our_message_id" uuid,
	"address" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"purpose" text NOT NULL,
	"granted" boolean NOT NULL,
	"source" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_customer_id_channel_purpose_pk" PRIMARY KEY("customer_id","channel","purpose")
);
--> statement-breakpoint
CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid,
	"conversation_id" uuid,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "channel_identities_active_uq";--> statement-breakpoint
ALTER TABLE "channel_identities" ADD COLUMN "address_index" text;--> statement-breakpoint
-- rows written before encryption at rest hold plaintext addresses: their index is the address
UPDATE "channel_identities" SET "address_index" = "address";--> statement-breakpoint
ALTER TABLE "channel_identities" ALTER COLUMN "address_index" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "legal_hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
UPDATE "messages" m SET "customer_id" = c."customer_id" FROM "conversations" c WHERE c."id" = m."conversation_id";--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "customer_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "flags" jsonb;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_messages_conversation_idx" ON "email_messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "email_messages_address_idx" ON "email_messages" USING btree ("address","created_at");--> statement-breakpoint
CREATE INDEX "email_messages_our_message_idx" ON "email_messages" USING btree ("our_message_id");--> statement-breakpoint
CREATE INDEX "legal_holds_customer_idx" ON "legal_holds" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "legal_holds_conversation_idx" ON "legal_holds" USING btree ("conversation_id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_customer_idx" ON "messages" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_identities_active_uq" ON "channel_identities" USING btree ("channel","address_index") WHERE status <> 'revoked';