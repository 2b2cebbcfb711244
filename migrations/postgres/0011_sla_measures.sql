ALTER TABLE "tickets" ADD COLUMN "sla_fr_mark" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_fr_internal_mark" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_res_mark" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_res_internal_mark" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_next_mark" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_next_met" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_next_late" bigint;--> statement-breakpoint
CREATE INDEX "tickets_unmeasured_idx" ON "tickets" USING btree ("id") WHERE sla_state is not null and sla_next_met is null;