ALTER TABLE "tickets" ADD COLUMN "fr_minutes" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "res_minutes" bigint;--> statement-breakpoint
CREATE INDEX "tickets_times_unmeasured_idx" ON "tickets" USING btree ("id") WHERE (first_responded_at is not null and fr_minutes is null) or (coalesce(resolved_at, closed_at) is not null and res_minutes is null);
--> statement-breakpoint
-- The response and resolution times a ticket keeps measure its creation to its first answer and to
-- its resolution (or closing) by the calendar of its clock's policy: when any of those changes,
-- they are forgotten here, for the scheduler to measure again (store/ticket-times.ts).
CREATE FUNCTION helpdesk_ticket_times_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_responded_at IS DISTINCT FROM OLD.first_responded_at
    OR coalesce(NEW.resolved_at, NEW.closed_at) IS DISTINCT FROM coalesce(OLD.resolved_at, OLD.closed_at)
    OR (NEW.sla_state IS DISTINCT FROM OLD.sla_state AND (NEW.sla_state::jsonb #>> '{clock,policyId}') IS DISTINCT FROM (OLD.sla_state::jsonb #>> '{clock,policyId}')) THEN
    NEW.fr_minutes := NULL;
    NEW.res_minutes := NULL;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_times_stale BEFORE UPDATE OF first_responded_at, resolved_at, closed_at, sla_state ON tickets FOR EACH ROW
  WHEN (OLD.fr_minutes IS NOT NULL OR OLD.res_minutes IS NOT NULL)
  EXECUTE FUNCTION helpdesk_ticket_times_stale();
