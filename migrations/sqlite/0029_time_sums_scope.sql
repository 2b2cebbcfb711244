-- The minutes logged are also kept per organisation and whether the ticket is out of the
-- contract's scope (key scope.org), for the contract usage: the triggers are made again with the
-- new key (their SQL from timeSumsSql in src/store/time-sums.ts) and the new key is filled.
DROP TRIGGER worklogs_time_sums_ai;
--> statement-breakpoint
DROP TRIGGER worklogs_time_sums_au;
--> statement-breakpoint
DROP TRIGGER worklogs_time_sums_ad;
--> statement-breakpoint
DROP TRIGGER tickets_time_sums_au;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_ai AFTER INSERT ON worklogs WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) BEGIN
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, k.m, k.bm
    FROM (SELECT 'all' AS dim, '' AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id
      UNION ALL SELECT 'worker' AS dim, CAST(NEW.user_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND NEW.user_id IS NOT NULL
      UNION ALL SELECT 'org' AS dim, CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(t.component_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type' AS dim, CAST(t.type AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL
      UNION ALL SELECT 'category' AS dim, CAST(t.category AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.category IS NOT NULL
      UNION ALL SELECT 'channel' AS dim, CAST(t.channel AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.channel IS NOT NULL
      UNION ALL SELECT 'priority' AS dim, CAST(t.priority AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.priority IS NOT NULL
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(NEW.user_id, 0) AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'type.component' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type.category' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.category IS NOT NULL
      UNION ALL SELECT 'type.org' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'scope.org' AS dim, CAST(t.billable AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.billable IS NOT NULL AND t.organization_id IS NOT NULL) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
END;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_au AFTER UPDATE OF ticket_id, user_id, minutes, billable, worked_at ON worklogs WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) AND (OLD.ticket_id IS NOT NEW.ticket_id OR OLD.user_id IS NOT NEW.user_id OR OLD.minutes IS NOT NEW.minutes OR OLD.billable IS NOT NEW.billable OR OLD.worked_at IS NOT NEW.worked_at) BEGIN
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, -k.m, -k.bm
    FROM (SELECT 'all' AS dim, '' AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id
      UNION ALL SELECT 'worker' AS dim, CAST(OLD.user_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND OLD.user_id IS NOT NULL
      UNION ALL SELECT 'org' AS dim, CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(t.component_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type' AS dim, CAST(t.type AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL
      UNION ALL SELECT 'category' AS dim, CAST(t.category AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.category IS NOT NULL
      UNION ALL SELECT 'channel' AS dim, CAST(t.channel AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.channel IS NOT NULL
      UNION ALL SELECT 'priority' AS dim, CAST(t.priority AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.priority IS NOT NULL
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(OLD.user_id, 0) AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'type.component' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type.category' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.category IS NOT NULL
      UNION ALL SELECT 'type.org' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'scope.org' AS dim, CAST(t.billable AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.billable IS NOT NULL AND t.organization_id IS NOT NULL) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, k.m, k.bm
    FROM (SELECT 'all' AS dim, '' AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id
      UNION ALL SELECT 'worker' AS dim, CAST(NEW.user_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND NEW.user_id IS NOT NULL
      UNION ALL SELECT 'org' AS dim, CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(t.component_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type' AS dim, CAST(t.type AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL
      UNION ALL SELECT 'category' AS dim, CAST(t.category AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.category IS NOT NULL
      UNION ALL SELECT 'channel' AS dim, CAST(t.channel AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.channel IS NOT NULL
      UNION ALL SELECT 'priority' AS dim, CAST(t.priority AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.priority IS NOT NULL
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(NEW.user_id, 0) AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'type.component' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type.category' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.category IS NOT NULL
      UNION ALL SELECT 'type.org' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.type IS NOT NULL AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'scope.org' AS dim, CAST(t.billable AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, NEW.worked_at AS at, NEW.minutes AS m, CASE WHEN NEW.billable = 1 THEN NEW.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = NEW.ticket_id AND t.billable IS NOT NULL AND t.organization_id IS NOT NULL) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
END;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_ad AFTER DELETE ON worklogs WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) BEGIN
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, -k.m, -k.bm
    FROM (SELECT 'all' AS dim, '' AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id
      UNION ALL SELECT 'worker' AS dim, CAST(OLD.user_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND OLD.user_id IS NOT NULL
      UNION ALL SELECT 'org' AS dim, CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'component' AS dim, CAST(t.component_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type' AS dim, CAST(t.type AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL
      UNION ALL SELECT 'category' AS dim, CAST(t.category AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.category IS NOT NULL
      UNION ALL SELECT 'channel' AS dim, CAST(t.channel AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.channel IS NOT NULL
      UNION ALL SELECT 'priority' AS dim, CAST(t.priority AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.priority IS NOT NULL
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(OLD.user_id, 0) AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'type.component' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.component_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.component_id IS NOT NULL
      UNION ALL SELECT 'type.category' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.category AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.category IS NOT NULL
      UNION ALL SELECT 'type.org' AS dim, CAST(t.type AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.type IS NOT NULL AND t.organization_id IS NOT NULL
      UNION ALL SELECT 'scope.org' AS dim, CAST(t.billable AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, OLD.worked_at AS at, OLD.minutes AS m, CASE WHEN OLD.billable = 1 THEN OLD.minutes ELSE 0 END AS bm
      FROM tickets t WHERE t.id = OLD.ticket_id AND t.billable IS NOT NULL AND t.organization_id IS NOT NULL) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
END;
--> statement-breakpoint
CREATE TRIGGER tickets_time_sums_au AFTER UPDATE OF organization_id, component_id, type, category, channel, priority, billable ON tickets WHEN NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state) AND (OLD.organization_id IS NOT NEW.organization_id OR OLD.component_id IS NOT NEW.component_id OR OLD.type IS NOT NEW.type OR OLD.category IS NOT NEW.category OR OLD.channel IS NOT NEW.channel OR OLD.priority IS NOT NEW.priority OR OLD.billable IS NOT NEW.billable) BEGIN
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, -k.m, -k.bm
    FROM (SELECT 'org' AS dim, CAST(OLD.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.organization_id IS NOT NULL AND (OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'component' AS dim, CAST(OLD.component_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.component_id IS NOT NULL AND (OLD.component_id IS NOT NEW.component_id)
      UNION ALL SELECT 'type' AS dim, CAST(OLD.type AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.type IS NOT NULL AND (OLD.type IS NOT NEW.type)
      UNION ALL SELECT 'category' AS dim, CAST(OLD.category AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.category IS NOT NULL AND (OLD.category IS NOT NEW.category)
      UNION ALL SELECT 'channel' AS dim, CAST(OLD.channel AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.channel IS NOT NULL AND (OLD.channel IS NOT NEW.channel)
      UNION ALL SELECT 'priority' AS dim, CAST(OLD.priority AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.priority IS NOT NULL AND (OLD.priority IS NOT NEW.priority)
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(w.user_id, 0) AS TEXT) || '/' || CAST(OLD.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.organization_id IS NOT NULL AND (OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'type.component' AS dim, CAST(OLD.type AS TEXT) || '/' || CAST(OLD.component_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.type IS NOT NULL AND OLD.component_id IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.component_id IS NOT NEW.component_id)
      UNION ALL SELECT 'type.category' AS dim, CAST(OLD.type AS TEXT) || '/' || CAST(OLD.category AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.type IS NOT NULL AND OLD.category IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.category IS NOT NEW.category)
      UNION ALL SELECT 'type.org' AS dim, CAST(OLD.type AS TEXT) || '/' || CAST(OLD.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.type IS NOT NULL AND OLD.organization_id IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'scope.org' AS dim, CAST(OLD.billable AS TEXT) || '/' || CAST(OLD.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = OLD.id AND OLD.billable IS NOT NULL AND OLD.organization_id IS NOT NULL AND (OLD.billable IS NOT NEW.billable OR OLD.organization_id IS NOT NEW.organization_id)) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
  INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, k.m, k.bm
    FROM (SELECT 'org' AS dim, CAST(NEW.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.organization_id IS NOT NULL AND (OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'component' AS dim, CAST(NEW.component_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.component_id IS NOT NULL AND (OLD.component_id IS NOT NEW.component_id)
      UNION ALL SELECT 'type' AS dim, CAST(NEW.type AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.type IS NOT NULL AND (OLD.type IS NOT NEW.type)
      UNION ALL SELECT 'category' AS dim, CAST(NEW.category AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.category IS NOT NULL AND (OLD.category IS NOT NEW.category)
      UNION ALL SELECT 'channel' AS dim, CAST(NEW.channel AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.channel IS NOT NULL AND (OLD.channel IS NOT NEW.channel)
      UNION ALL SELECT 'priority' AS dim, CAST(NEW.priority AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.priority IS NOT NULL AND (OLD.priority IS NOT NEW.priority)
      UNION ALL SELECT 'worker.org' AS dim, CAST(coalesce(w.user_id, 0) AS TEXT) || '/' || CAST(NEW.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.organization_id IS NOT NULL AND (OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'type.component' AS dim, CAST(NEW.type AS TEXT) || '/' || CAST(NEW.component_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.type IS NOT NULL AND NEW.component_id IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.component_id IS NOT NEW.component_id)
      UNION ALL SELECT 'type.category' AS dim, CAST(NEW.type AS TEXT) || '/' || CAST(NEW.category AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.type IS NOT NULL AND NEW.category IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.category IS NOT NEW.category)
      UNION ALL SELECT 'type.org' AS dim, CAST(NEW.type AS TEXT) || '/' || CAST(NEW.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.type IS NOT NULL AND NEW.organization_id IS NOT NULL AND (OLD.type IS NOT NEW.type OR OLD.organization_id IS NOT NEW.organization_id)
      UNION ALL SELECT 'scope.org' AS dim, CAST(NEW.billable AS TEXT) || '/' || CAST(NEW.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
      FROM worklogs w WHERE w.ticket_id = NEW.id AND NEW.billable IS NOT NULL AND NEW.organization_id IS NOT NULL AND (OLD.billable IS NOT NEW.billable OR OLD.organization_id IS NOT NEW.organization_id)) k, (SELECT 86400000 AS grain UNION ALL SELECT 2419200000) g WHERE k.m <> 0
    ON CONFLICT (dim, grain, start, val) DO UPDATE SET minutes = worklog_day_sums.minutes + excluded.minutes, billable = worklog_day_sums.billable + excluded.billable;
END;
--> statement-breakpoint
INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
  SELECT 'scope.org', x.val, 86400000, x.at / 86400000 * 86400000, sum(x.m), sum(x.bm)
  FROM (SELECT CAST(t.billable AS TEXT) || '/' || CAST(t.organization_id AS TEXT) AS val, w.worked_at AS at, w.minutes AS m, CASE WHEN w.billable = 1 THEN w.minutes ELSE 0 END AS bm
    FROM worklogs w JOIN tickets t ON t.id = w.ticket_id WHERE t.billable IS NOT NULL AND t.organization_id IS NOT NULL) x
  GROUP BY x.val, x.at / 86400000 * 86400000;
--> statement-breakpoint
INSERT INTO worklog_day_sums (dim, val, grain, start, minutes, billable)
  SELECT dim, val, 2419200000, start / 2419200000 * 2419200000, sum(minutes), sum(billable)
  FROM worklog_day_sums WHERE grain = 86400000 AND dim IN ('scope.org') GROUP BY dim, val, start / 2419200000 * 2419200000;
