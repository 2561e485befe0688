CREATE TABLE "vault_audit" (
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
CREATE TABLE "vault_cards" (
	"token" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"pan_enc" text NOT NULL,
	"pan_ct" text NOT NULL,
	"brand" text NOT NULL,
	"last4" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resealed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vault_refs" (
	"ref" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"channel" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "vault_refs" ADD CONSTRAINT "vault_refs_token_vault_cards_token_fk" FOREIGN KEY ("token") REFERENCES "public"."vault_cards"("token") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vault_audit_subject_idx" ON "vault_audit" USING btree ("subject","seq");--> statement-breakpoint
CREATE INDEX "vault_audit_actor_idx" ON "vault_audit" USING btree ("actor","seq");--> statement-breakpoint
CREATE INDEX "vault_cards_key_idx" ON "vault_cards" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "vault_refs_token_idx" ON "vault_refs" USING btree ("token");--> statement-breakpoint
-- Hand-written (not from the schema files): vault_audit is append-only in the database itself, as
-- audit_log is (migration 0003). Any UPDATE, DELETE or TRUNCATE raises, whoever runs it; only the
-- table owner (who may disable triggers) gets past, and then the hash chain shows what changed.
CREATE FUNCTION "vault_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'vault_audit is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'audit records are never changed or removed';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "vault_audit_no_change" BEFORE UPDATE OR DELETE ON "vault_audit"
  FOR EACH ROW EXECUTE FUNCTION "vault_audit_append_only"();--> statement-breakpoint
CREATE TRIGGER "vault_audit_no_truncate" BEFORE TRUNCATE ON "vault_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "vault_audit_append_only"();
