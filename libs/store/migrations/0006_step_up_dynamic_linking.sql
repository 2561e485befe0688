ALTER TABLE "approvals" ADD COLUMN "action" text;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "requester_channel" text;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "nonce_hash" text;