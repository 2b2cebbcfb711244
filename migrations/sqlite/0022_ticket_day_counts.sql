CREATE TABLE `ticket_day_count_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`dim` text NOT NULL,
	`val` text NOT NULL,
	`grain` integer NOT NULL,
	`start` integer NOT NULL,
	`created` integer NOT NULL,
	`done` integer NOT NULL,
	`done_reopened` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_day_counts` (
	`dim` text NOT NULL,
	`val` text NOT NULL,
	`grain` integer NOT NULL,
	`start` integer NOT NULL,
	`created` integer NOT NULL,
	`done` integer NOT NULL,
	`done_reopened` integer NOT NULL,
	PRIMARY KEY(`dim`, `grain`, `start`, `val`)
);
--> statement-breakpoint
-- The tickets created and done (resolved or closed) per span, under each key the reports group and
-- filter by (ticket_day_counts: see src/db/schema.ts), kept by triggers in the
-- transaction of every change to a ticket's times, reopened mark or keys: what moved is taken away
-- under its old keys and times and added under its new ones. Written by dayCountsSql in
-- src/store/day-counts.ts. The tickets already here are counted now.
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'all', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT '' AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1
    UNION ALL SELECT '', coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'org', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.organization_id AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.organization_id IS NOT NULL
    UNION ALL SELECT CAST(t.organization_id AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.organization_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'component', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.component_id AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.component_id IS NOT NULL
    UNION ALL SELECT CAST(t.component_id AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.component_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'agent', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.assignee_id AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.assignee_id IS NOT NULL
    UNION ALL SELECT CAST(t.assignee_id AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.assignee_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'type', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.type AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1
    UNION ALL SELECT CAST(t.type AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'channel', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.channel AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1
    UNION ALL SELECT CAST(t.channel AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'priority', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.priority AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1
    UNION ALL SELECT CAST(t.priority AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT 'category', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT CAST(t.category AS TEXT) AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1 AND t.category IS NOT NULL
    UNION ALL SELECT CAST(t.category AS TEXT), coalesce(t.resolved_at, t.closed_at), 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE coalesce(t.resolved_at, t.closed_at) IS NOT NULL AND t.category IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
  SELECT dim, val, 2419200000, start / 2419200000 * 2419200000, sum(created), sum(done), sum(done_reopened)
  FROM ticket_day_counts WHERE grain = 86400000 GROUP BY dim, val, start / 2419200000 * 2419200000;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ai AFTER INSERT ON tickets WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) BEGIN
  INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, x.c, x.d, x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 1 AS moved UNION ALL SELECT 'org', CAST(NEW.organization_id AS TEXT), 1 WHERE NEW.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(NEW.component_id AS TEXT), 1 WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(NEW.assignee_id AS TEXT), 1 WHERE NEW.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(NEW.type AS TEXT), 1 UNION ALL SELECT 'channel', CAST(NEW.channel AS TEXT), 1 UNION ALL SELECT 'priority', CAST(NEW.priority AS TEXT), 1 UNION ALL SELECT 'category', CAST(NEW.category AS TEXT), 1 WHERE NEW.category IS NOT NULL) k, (SELECT NEW.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, 1 AS moved
      UNION ALL SELECT coalesce(NEW.resolved_at, NEW.closed_at), 0, 1, CASE WHEN (NEW.reopen_count > 0) THEN 1 ELSE 0 END,
        1 WHERE coalesce(NEW.resolved_at, NEW.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET created = ticket_day_counts.created + excluded.created, done = ticket_day_counts.done + excluded.done, done_reopened = ticket_day_counts.done_reopened + excluded.done_reopened;
END;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_au AFTER UPDATE OF created_at, resolved_at, closed_at, reopen_count, organization_id, component_id, assignee_id, type, channel, priority, category ON tickets WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) AND (OLD.created_at IS NOT NEW.created_at OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.closed_at IS NOT NEW.closed_at OR OLD.reopen_count IS NOT NEW.reopen_count OR OLD.organization_id IS NOT NEW.organization_id OR OLD.component_id IS NOT NEW.component_id OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.type IS NOT NEW.type OR OLD.channel IS NOT NEW.channel OR OLD.priority IS NOT NEW.priority OR OLD.category IS NOT NEW.category) BEGIN
  INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, -x.c, -x.d, -x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 0 AS moved UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT), CASE WHEN OLD.organization_id IS NOT NEW.organization_id THEN 1 ELSE 0 END WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT), CASE WHEN OLD.component_id IS NOT NEW.component_id THEN 1 ELSE 0 END WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT), CASE WHEN OLD.assignee_id IS NOT NEW.assignee_id THEN 1 ELSE 0 END WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(OLD.type AS TEXT), CASE WHEN OLD.type IS NOT NEW.type THEN 1 ELSE 0 END UNION ALL SELECT 'channel', CAST(OLD.channel AS TEXT), CASE WHEN OLD.channel IS NOT NEW.channel THEN 1 ELSE 0 END UNION ALL SELECT 'priority', CAST(OLD.priority AS TEXT), CASE WHEN OLD.priority IS NOT NEW.priority THEN 1 ELSE 0 END UNION ALL SELECT 'category', CAST(OLD.category AS TEXT), CASE WHEN OLD.category IS NOT NEW.category THEN 1 ELSE 0 END WHERE OLD.category IS NOT NULL) k, (SELECT OLD.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, CASE WHEN OLD.created_at IS NOT NEW.created_at THEN 1 ELSE 0 END AS moved
      UNION ALL SELECT coalesce(OLD.resolved_at, OLD.closed_at), 0, 1, CASE WHEN (OLD.reopen_count > 0) THEN 1 ELSE 0 END,
        CASE WHEN coalesce(OLD.resolved_at, OLD.closed_at) IS NOT coalesce(NEW.resolved_at, NEW.closed_at) OR (OLD.reopen_count > 0) IS NOT (NEW.reopen_count > 0) THEN 1 ELSE 0 END WHERE coalesce(OLD.resolved_at, OLD.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET created = ticket_day_counts.created + excluded.created, done = ticket_day_counts.done + excluded.done, done_reopened = ticket_day_counts.done_reopened + excluded.done_reopened;
  INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, x.c, x.d, x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 0 AS moved UNION ALL SELECT 'org', CAST(NEW.organization_id AS TEXT), CASE WHEN OLD.organization_id IS NOT NEW.organization_id THEN 1 ELSE 0 END WHERE NEW.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(NEW.component_id AS TEXT), CASE WHEN OLD.component_id IS NOT NEW.component_id THEN 1 ELSE 0 END WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(NEW.assignee_id AS TEXT), CASE WHEN OLD.assignee_id IS NOT NEW.assignee_id THEN 1 ELSE 0 END WHERE NEW.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(NEW.type AS TEXT), CASE WHEN OLD.type IS NOT NEW.type THEN 1 ELSE 0 END UNION ALL SELECT 'channel', CAST(NEW.channel AS TEXT), CASE WHEN OLD.channel IS NOT NEW.channel THEN 1 ELSE 0 END UNION ALL SELECT 'priority', CAST(NEW.priority AS TEXT), CASE WHEN OLD.priority IS NOT NEW.priority THEN 1 ELSE 0 END UNION ALL SELECT 'category', CAST(NEW.category AS TEXT), CASE WHEN OLD.category IS NOT NEW.category THEN 1 ELSE 0 END WHERE NEW.category IS NOT NULL) k, (SELECT NEW.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, CASE WHEN OLD.created_at IS NOT NEW.created_at THEN 1 ELSE 0 END AS moved
      UNION ALL SELECT coalesce(NEW.resolved_at, NEW.closed_at), 0, 1, CASE WHEN (NEW.reopen_count > 0) THEN 1 ELSE 0 END,
        CASE WHEN coalesce(OLD.resolved_at, OLD.closed_at) IS NOT coalesce(NEW.resolved_at, NEW.closed_at) OR (OLD.reopen_count > 0) IS NOT (NEW.reopen_count > 0) THEN 1 ELSE 0 END WHERE coalesce(NEW.resolved_at, NEW.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET created = ticket_day_counts.created + excluded.created, done = ticket_day_counts.done + excluded.done, done_reopened = ticket_day_counts.done_reopened + excluded.done_reopened;
END;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ad AFTER DELETE ON tickets WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) BEGIN
  INSERT INTO ticket_day_counts (dim, val, grain, start, created, done, done_reopened)
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, -x.c, -x.d, -x.rr
    FROM (SELECT 'all' AS dim, '' AS val, 1 AS moved UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT), 1 WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT), 1 WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT), 1 WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', CAST(OLD.type AS TEXT), 1 UNION ALL SELECT 'channel', CAST(OLD.channel AS TEXT), 1 UNION ALL SELECT 'priority', CAST(OLD.priority AS TEXT), 1 UNION ALL SELECT 'category', CAST(OLD.category AS TEXT), 1 WHERE OLD.category IS NOT NULL) k, (SELECT OLD.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, 1 AS moved
      UNION ALL SELECT coalesce(OLD.resolved_at, OLD.closed_at), 0, 1, CASE WHEN (OLD.reopen_count > 0) THEN 1 ELSE 0 END,
        1 WHERE coalesce(OLD.resolved_at, OLD.closed_at) IS NOT NULL) x, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.moved + x.moved > 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET created = ticket_day_counts.created + excluded.created, done = ticket_day_counts.done + excluded.done, done_reopened = ticket_day_counts.done_reopened + excluded.done_reopened;
END;
