CREATE TABLE `status_count_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`dim` text NOT NULL,
	`val` text NOT NULL,
	`grain` integer NOT NULL,
	`start` integer NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `status_count_state` (
	`name` text PRIMARY KEY NOT NULL,
	`built` integer NOT NULL,
	`upto` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `status_counts` (
	`dim` text NOT NULL,
	`val` text NOT NULL,
	`grain` integer NOT NULL,
	`start` integer NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`dim`, `val`, `grain`, `start`, `status`)
);
--> statement-breakpoint
CREATE TABLE `status_steps` (
	`ticket_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`ticket_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `status_steps_at_idx` ON `status_steps` (`at`);--> statement-breakpoint
DROP INDEX `tickets_open_assignee_activity_idx`;--> statement-breakpoint
DROP INDEX `tickets_done_idx`;--> statement-breakpoint
CREATE INDEX `tickets_open_created_idx` ON `tickets` (`is_open`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_open_assignee_activity_idx` ON `tickets` (`is_open`,`assignee_id`,`last_activity_at`,`id`,`estimate_minutes`,`logged_minutes`);--> statement-breakpoint
CREATE INDEX `tickets_done_idx` ON `tickets` (`done_at`,`assignee_id`,`reopen_count`);
--> statement-breakpoint
-- The status report's counts (status_steps, status_counts: see src/db/schema.ts), kept by triggers
-- in the transaction of every change to a ticket's status or to a field the report filters by. A new
-- status is a step, and a -1/+1 at its instant under each of the ticket's keys; a field that changes
-- moves the ticket's whole history (+1 when it entered each status, -1 when it left it) from the old
-- value's key to the new one's. The tickets already here when this ran are counted by
-- buildStatusCounts (the scheduler, or `helpdesk count-statuses`): until then the report replays
-- their events as before.
INSERT INTO status_count_state (name, built, upto) SELECT 'status', 0, max(id) FROM tickets HAVING count(*) > 0;
--> statement-breakpoint
CREATE TRIGGER tickets_status_counts_ai AFTER INSERT ON tickets WHEN NOT EXISTS (SELECT 1 FROM status_count_state s WHERE NEW.id > s.built AND NEW.id <= s.upto) BEGIN
  INSERT INTO status_steps (ticket_id, seq, at, status) VALUES (NEW.id, 1, NEW.created_at, NEW.status);
  INSERT INTO status_counts (dim, val, grain, start, status, n)
    SELECT k.dim, k.val, g.grain, NEW.created_at / g.grain * g.grain, NEW.status, 1
    FROM (SELECT 'all' AS dim, '' AS val UNION ALL SELECT 'org', CAST(NEW.organization_id AS TEXT) WHERE NEW.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(NEW.component_id AS TEXT) WHERE NEW.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(NEW.assignee_id AS TEXT) WHERE NEW.assignee_id IS NOT NULL UNION ALL SELECT 'type', NEW.type UNION ALL SELECT 'channel', NEW.channel UNION ALL SELECT 'priority', NEW.priority) k, (SELECT 86400000 AS grain) g WHERE true
    ON CONFLICT (dim, val, grain, start, status) DO UPDATE SET n = status_counts.n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER tickets_status_counts_au AFTER UPDATE OF status, organization_id, component_id, assignee_id, type, channel, priority ON tickets WHEN NOT EXISTS (SELECT 1 FROM status_count_state s WHERE NEW.id > s.built AND NEW.id <= s.upto) BEGIN
  INSERT INTO status_counts (dim, val, grain, start, status, n)
    SELECT k.dim, k.val, g.grain, NEW.updated_at / g.grain * g.grain, s.status, s.n
    FROM (SELECT 'all' AS dim, '' AS val UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT) WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT) WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT) WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', OLD.type UNION ALL SELECT 'channel', OLD.channel UNION ALL SELECT 'priority', OLD.priority) k, (SELECT 86400000 AS grain) g, (SELECT OLD.status AS status, -1 AS n UNION ALL SELECT NEW.status, 1) s
    WHERE OLD.status <> NEW.status
    ON CONFLICT (dim, val, grain, start, status) DO UPDATE SET n = status_counts.n + excluded.n;
  INSERT INTO status_steps (ticket_id, seq, at, status)
    SELECT NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM status_steps WHERE ticket_id = NEW.id), NEW.updated_at, NEW.status WHERE OLD.status <> NEW.status;
  INSERT INTO status_counts (dim, val, grain, start, status, n)
    SELECT m.dim, m.val, g.grain, d.at / g.grain * g.grain AS start, d.status, sum(m.sign * d.n)
    FROM (SELECT 'org' AS dim, CAST(OLD.organization_id AS TEXT) AS val, -1 AS sign WHERE OLD.organization_id IS NOT NEW.organization_id AND OLD.organization_id IS NOT NULL
      UNION ALL SELECT 'org' AS dim, CAST(NEW.organization_id AS TEXT) AS val, 1 AS sign WHERE OLD.organization_id IS NOT NEW.organization_id AND NEW.organization_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(OLD.component_id AS TEXT) AS val, -1 AS sign WHERE OLD.component_id IS NOT NEW.component_id AND OLD.component_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(NEW.component_id AS TEXT) AS val, 1 AS sign WHERE OLD.component_id IS NOT NEW.component_id AND NEW.component_id IS NOT NULL
      UNION ALL SELECT 'agent' AS dim, CAST(OLD.assignee_id AS TEXT) AS val, -1 AS sign WHERE OLD.assignee_id IS NOT NEW.assignee_id AND OLD.assignee_id IS NOT NULL
      UNION ALL SELECT 'agent' AS dim, CAST(NEW.assignee_id AS TEXT) AS val, 1 AS sign WHERE OLD.assignee_id IS NOT NEW.assignee_id AND NEW.assignee_id IS NOT NULL
      UNION ALL SELECT 'type' AS dim, OLD.type AS val, -1 AS sign WHERE OLD.type IS NOT NEW.type
      UNION ALL SELECT 'type' AS dim, NEW.type AS val, 1 AS sign WHERE OLD.type IS NOT NEW.type
      UNION ALL SELECT 'channel' AS dim, OLD.channel AS val, -1 AS sign WHERE OLD.channel IS NOT NEW.channel
      UNION ALL SELECT 'channel' AS dim, NEW.channel AS val, 1 AS sign WHERE OLD.channel IS NOT NEW.channel
      UNION ALL SELECT 'priority' AS dim, OLD.priority AS val, -1 AS sign WHERE OLD.priority IS NOT NEW.priority
      UNION ALL SELECT 'priority' AS dim, NEW.priority AS val, 1 AS sign WHERE OLD.priority IS NOT NEW.priority) m,
    (SELECT at, status, 1 AS n FROM status_steps WHERE ticket_id = NEW.id UNION ALL SELECT b.at, a.status, -1 FROM status_steps a JOIN status_steps b ON b.ticket_id = a.ticket_id AND b.seq = a.seq + 1 WHERE a.ticket_id = NEW.id) d, (SELECT 86400000 AS grain) g
    WHERE true GROUP BY m.dim, m.val, g.grain, d.at / g.grain * g.grain, d.status
    ON CONFLICT (dim, val, grain, start, status) DO UPDATE SET n = status_counts.n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER tickets_status_counts_ad AFTER DELETE ON tickets BEGIN
  INSERT INTO status_counts (dim, val, grain, start, status, n)
    SELECT k.dim, k.val, g.grain, d.at / g.grain * g.grain AS start, d.status, -sum(d.n)
    FROM (SELECT 'all' AS dim, '' AS val UNION ALL SELECT 'org', CAST(OLD.organization_id AS TEXT) WHERE OLD.organization_id IS NOT NULL UNION ALL SELECT 'component', CAST(OLD.component_id AS TEXT) WHERE OLD.component_id IS NOT NULL UNION ALL SELECT 'agent', CAST(OLD.assignee_id AS TEXT) WHERE OLD.assignee_id IS NOT NULL UNION ALL SELECT 'type', OLD.type UNION ALL SELECT 'channel', OLD.channel UNION ALL SELECT 'priority', OLD.priority) k, (SELECT at, status, 1 AS n FROM status_steps WHERE ticket_id = OLD.id UNION ALL SELECT b.at, a.status, -1 FROM status_steps a JOIN status_steps b ON b.ticket_id = a.ticket_id AND b.seq = a.seq + 1 WHERE a.ticket_id = OLD.id) d, (SELECT 86400000 AS grain) g
    WHERE true GROUP BY k.dim, k.val, g.grain, d.at / g.grain * g.grain, d.status
    ON CONFLICT (dim, val, grain, start, status) DO UPDATE SET n = status_counts.n + excluded.n;
  DELETE FROM status_steps WHERE ticket_id = OLD.id;
END;
