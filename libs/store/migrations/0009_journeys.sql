CREATE TABLE "journey_context_losses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"by" text NOT NULL,
	"channel" text,
	"switch_from" text,
	"switch_to" text,
	"after_handoff" boolean NOT NULL,
	"journey" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_conversations" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid,
	"state" jsonb NOT NULL,
	"started_at" timestamp with time zone,
	"start_channel" text,
	"end_channel" text,
	"switches" integer DEFAULT 0 NOT NULL,
	"bot_turns" integer DEFAULT 0 NOT NULL,
	"agent_turns" integer DEFAULT 0 NOT NULL,
	"handoffs" integer DEFAULT 0 NOT NULL,
	"journey" text DEFAULT 'other' NOT NULL,
	"first_response_ms" bigint,
	"first_resolved_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution_ms" bigint,
	"reopened_within_7d" boolean DEFAULT false NOT NULL,
	"fraud_resolution_ms" bigint,
	"onboarding_started_at" timestamp with time zone,
	"onboarding_identified_at" timestamp with time zone,
	"onboarding_completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_handoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"channel" text,
	"received" jsonb
);
--> statement-breakpoint
CREATE TABLE "journey_meta" (
	"id" integer PRIMARY KEY NOT NULL,
	"rebuilding" boolean DEFAULT false NOT NULL,
	"rebuilt_at" timestamp with time zone,
	"clocks_on_track" integer DEFAULT 0 NOT NULL,
	"clocks_at_risk" integer DEFAULT 0 NOT NULL,
	"clocks_breached" integer DEFAULT 0 NOT NULL,
	"clocks_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "journey_switches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"from_channel" text NOT NULL,
	"to_channel" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "journey_context_losses_at_idx" ON "journey_context_losses" USING btree ("at");--> statement-breakpoint
CREATE INDEX "journey_context_losses_conversation_idx" ON "journey_context_losses" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "journey_conversations_started_idx" ON "journey_conversations" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "journey_conversations_resolved_idx" ON "journey_conversations" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "journey_conversations_first_resolved_idx" ON "journey_conversations" USING btree ("first_resolved_at");--> statement-breakpoint
CREATE INDEX "journey_conversations_customer_idx" ON "journey_conversations" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "journey_events_conversation_idx" ON "journey_events" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "journey_handoffs_at_idx" ON "journey_handoffs" USING btree ("at");--> statement-breakpoint
CREATE INDEX "journey_handoffs_conversation_idx" ON "journey_handoffs" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "journey_switches_at_idx" ON "journey_switches" USING btree ("at");--> statement-breakpoint
CREATE INDEX "journey_switches_conversation_idx" ON "journey_switches" USING btree ("conversation_id");