ALTER TABLE "tickets" ADD COLUMN "kind" text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "dispute_type" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "jurisdiction" text DEFAULT 'IT' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "holding_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "breached_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tickets_open_due_idx" ON "tickets" USING btree ("status","due_at");