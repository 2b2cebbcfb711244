-- The day counts (ticket_day_counts) are also kept for a ticket's type together with its component,
-- its category and its organisation (keys 'type.component', 'type.category', 'type.org'; the value
-- is the type, '/', and the field's value), so the incident trends, which split one type's tickets
-- by one of those, read them too. The triggers are made again by dayCountsSql in
-- src/store/day-counts.ts, and the tickets already here are counted under the new keys now.
DROP FUNCTION helpdesk_day_counts() CASCADE;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'type.component', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.component_id IS NOT NULL
    UNION ALL SELECT CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.component_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'type.category', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.category IS NOT NULL
    UNION ALL SELECT CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.category IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'type.org', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.organization_id IS NOT NULL
    UNION ALL SELECT CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.organization_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT dim, val, 2419200000, start / 2419200000 * 2419200000, sum(created), sum(done), sum(done_reopened)
  FROM ticket_day_counts WHERE grain = 86400000 AND dim IN ('type.component', 'type.category', 'type.org') GROUP BY dim, val, start / 2419200000 * 2419200000;
--> statement-breakpoint
CREATE FUNCTION helpdesk_day_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_ticket_sum_state) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_day_count_changes (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, x.c, x.d, x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 1 AS moved UNION ALL SELECT 'org', CAST(NEW.organization_id AS TEXT), 1 WHERE NEW.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(NEW.component_id AS TEXT), 1 WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(NEW.assignee_id AS TEXT), 1 WHERE NEW.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(NEW.type AS TEXT), 1 UNION ALL SELECT 'channel', CAST(NEW.channel AS TEXT), 1 UNION ALL SELECT 'priority', CAST(NEW.priority AS TEXT), 1 UNION ALL SELECT 'category', CAST(NEW.category AS TEXT), 1 WHERE NEW.category IS NOT NULL UNION ALL SELECT 'type.component', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.component_id AS TEXT), 1 WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'type.category', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.category AS TEXT), 1 WHERE NEW.category IS NOT NULL UNION ALL SELECT 'type.org', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.organization_id AS TEXT), 1 WHERE NEW.organization_id IS NOT NULL) k, (SELECT NEW.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, 1 AS moved
      UNION ALL SELECT coalesce(NEW.resolved_at, NEW.closed_at), 0, 1, CASE WHEN (NEW.reopen_count > 0) THEN 1 ELSE 0 END,
        1 WHERE coalesce(NEW.resolved_at, NEW.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ticket_day_count_changes (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, -x.c, -x.d, -x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 1 AS moved UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT), 1 WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT), 1 WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT), 1 WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(OLD.type AS TEXT), 1 UNION ALL SELECT 'channel', CAST(OLD.channel AS TEXT), 1 UNION ALL SELECT 'priority', CAST(OLD.priority AS TEXT), 1 UNION ALL SELECT 'category', CAST(OLD.category AS TEXT), 1 WHERE OLD.category IS NOT NULL UNION ALL SELECT 'type.component', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.component_id AS TEXT), 1 WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'type.category', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.category AS TEXT), 1 WHERE OLD.category IS NOT NULL UNION ALL SELECT 'type.org', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.organization_id AS TEXT), 1 WHERE OLD.organization_id IS NOT NULL) k, (SELECT OLD.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, 1 AS moved
      UNION ALL SELECT coalesce(OLD.resolved_at, OLD.closed_at), 0, 1, CASE WHEN (OLD.reopen_count > 0) THEN 1 ELSE 0 END,
        1 WHERE coalesce(OLD.resolved_at, OLD.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0;
  ELSE
    INSERT INTO ticket_day_count_changes (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, -x.c, -x.d, -x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 0 AS moved UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT), CASE WHEN OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN 1 ELSE 0 END WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT), CASE WHEN OLD.component_id IS DISTINCT FROM NEW.component_id THEN 1 ELSE 0 END WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT), CASE WHEN OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN 1 ELSE 0 END WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(OLD.type AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type THEN 1 ELSE 0 END UNION ALL SELECT 'channel', CAST(OLD.channel AS TEXT), CASE WHEN OLD.channel IS DISTINCT FROM NEW.channel THEN 1 ELSE 0 END UNION ALL SELECT 'priority', CAST(OLD.priority AS TEXT), CASE WHEN OLD.priority IS DISTINCT FROM NEW.priority THEN 1 ELSE 0 END UNION ALL SELECT 'category', CAST(OLD.category AS TEXT), CASE WHEN OLD.category IS DISTINCT FROM NEW.category THEN 1 ELSE 0 END WHERE OLD.category IS NOT NULL UNION ALL SELECT 'type.component', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.component_id AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.component_id IS DISTINCT FROM NEW.component_id THEN 1 ELSE 0 END WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'type.category', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.category AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.category IS DISTINCT FROM NEW.category THEN 1 ELSE 0 END WHERE OLD.category IS NOT NULL UNION ALL SELECT 'type.org', CAST(OLD.type AS TEXT) || '/' || CAST(OLD.organization_id AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN 1 ELSE 0 END WHERE OLD.organization_id IS NOT NULL) k, (SELECT OLD.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, CASE WHEN OLD.created_at IS DISTINCT FROM NEW.created_at THEN 1 ELSE 0 END AS moved
      UNION ALL SELECT coalesce(OLD.resolved_at, OLD.closed_at), 0, 1, CASE WHEN (OLD.reopen_count > 0) THEN 1 ELSE 0 END,
        CASE WHEN coalesce(OLD.resolved_at, OLD.closed_at) IS DISTINCT FROM coalesce(NEW.resolved_at, NEW.closed_at) OR (OLD.reopen_count > 0) IS DISTINCT FROM (NEW.reopen_count > 0) THEN 1 ELSE 0 END WHERE coalesce(OLD.resolved_at, OLD.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0;
    INSERT INTO ticket_day_count_changes (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, x.c, x.d, x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 0 AS moved UNION ALL SELECT 'org', CAST(NEW.organization_id AS TEXT), CASE WHEN OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN 1 ELSE 0 END WHERE NEW.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(NEW.component_id AS TEXT), CASE WHEN OLD.component_id IS DISTINCT FROM NEW.component_id THEN 1 ELSE 0 END WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(NEW.assignee_id AS TEXT), CASE WHEN OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN 1 ELSE 0 END WHERE NEW.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(NEW.type AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type THEN 1 ELSE 0 END UNION ALL SELECT 'channel', CAST(NEW.channel AS TEXT), CASE WHEN OLD.channel IS DISTINCT FROM NEW.channel THEN 1 ELSE 0 END UNION ALL SELECT 'priority', CAST(NEW.priority AS TEXT), CASE WHEN OLD.priority IS DISTINCT FROM NEW.priority THEN 1 ELSE 0 END UNION ALL SELECT 'category', CAST(NEW.category AS TEXT), CASE WHEN OLD.category IS DISTINCT FROM NEW.category THEN 1 ELSE 0 END WHERE NEW.category IS NOT NULL UNION ALL SELECT 'type.component', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.component_id AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.component_id IS DISTINCT FROM NEW.component_id THEN 1 ELSE 0 END WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'type.category', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.category AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.category IS DISTINCT FROM NEW.category THEN 1 ELSE 0 END WHERE NEW.category IS NOT NULL UNION ALL SELECT 'type.org', CAST(NEW.type AS TEXT) || '/' || CAST(NEW.organization_id AS TEXT), CASE WHEN OLD.type IS DISTINCT FROM NEW.type OR OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN 1 ELSE 0 END WHERE NEW.organization_id IS NOT NULL) k, (SELECT NEW.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, CASE WHEN OLD.created_at IS DISTINCT FROM NEW.created_at THEN 1 ELSE 0 END AS moved
      UNION ALL SELECT coalesce(NEW.resolved_at, NEW.closed_at), 0, 1, CASE WHEN (NEW.reopen_count > 0) THEN 1 ELSE 0 END,
        CASE WHEN coalesce(OLD.resolved_at, OLD.closed_at) IS DISTINCT FROM coalesce(NEW.resolved_at, NEW.closed_at) OR (OLD.reopen_count > 0) IS DISTINCT FROM (NEW.reopen_count > 0) THEN 1 ELSE 0 END WHERE coalesce(NEW.resolved_at, NEW.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ai AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_day_counts();
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_au AFTER UPDATE OF created_at, resolved_at, closed_at, reopen_count, organization_id, component_id, assignee_id, type, channel, priority, category ON tickets FOR EACH ROW
  WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.reopen_count IS DISTINCT FROM NEW.reopen_count OR OLD.organization_id IS DISTINCT FROM NEW.organization_id OR OLD.component_id IS DISTINCT FROM NEW.component_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.type IS DISTINCT FROM NEW.type OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.category IS DISTINCT FROM NEW.category)
  EXECUTE FUNCTION helpdesk_day_counts();
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ad AFTER DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_day_counts();
