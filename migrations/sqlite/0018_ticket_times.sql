ALTER TABLE `tickets` ADD `fr_minutes` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `res_minutes` integer;--> statement-breakpoint
CREATE INDEX `tickets_times_unmeasured_idx` ON `tickets` (`id`) WHERE (first_responded_at is not null and fr_minutes is null) or (coalesce(resolved_at, closed_at) is not null and res_minutes is null);
--> statement-breakpoint
-- The response and resolution times a ticket keeps measure its creation to its first answer and to
-- its resolution (or closing) by the calendar of its clock's policy: when any of those changes,
-- they are forgotten here, for the scheduler to measure again (store/ticket-times.ts).
CREATE TRIGGER tickets_times_stale AFTER UPDATE OF first_responded_at, resolved_at, closed_at, sla_state ON tickets
  WHEN (NEW.fr_minutes IS NOT NULL OR NEW.res_minutes IS NOT NULL) AND (NEW.first_responded_at IS NOT OLD.first_responded_at
    OR coalesce(NEW.resolved_at, NEW.closed_at) IS NOT coalesce(OLD.resolved_at, OLD.closed_at)
    OR (NEW.sla_state IS NOT OLD.sla_state AND json_extract(NEW.sla_state, '$.clock.policyId') IS NOT json_extract(OLD.sla_state, '$.clock.policyId')))
BEGIN
  UPDATE tickets SET fr_minutes = NULL, res_minutes = NULL WHERE id = NEW.id;
END;
