ALTER TABLE "tickets" ADD COLUMN "card_scheme" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "scheme_reason" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "transaction_processed_on" date;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "delivery_on" date;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "scheme_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "scheme_raised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "scheme_breached_at" timestamp with time zone;