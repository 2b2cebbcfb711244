-- drizzle's SQLite dialect, which the store's query builder speaks on both engines, writes NULL for
-- an id it leaves to the database; an identity column takes its next value only when the column is
-- left out. This trigger gives such a row its next id before the NOT NULL check.
CREATE FUNCTION helpdesk_fill_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS NULL THEN
    NEW.id := nextval(pg_get_serial_sequence(TG_TABLE_NAME, 'id'));
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_tokens_fill_id BEFORE INSERT ON "api_tokens" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER attachments_fill_id BEFORE INSERT ON "attachments" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER business_calendars_fill_id BEFORE INSERT ON "business_calendars" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER calendar_exceptions_fill_id BEFORE INSERT ON "calendar_exceptions" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER canned_replies_fill_id BEFORE INSERT ON "canned_replies" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER components_fill_id BEFORE INSERT ON "components" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER contact_emails_fill_id BEFORE INSERT ON "contact_emails" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER contact_phones_fill_id BEFORE INSERT ON "contact_phones" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER contacts_fill_id BEFORE INSERT ON "contacts" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER events_fill_id BEFORE INSERT ON "events" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER inbound_messages_fill_id BEFORE INSERT ON "inbound_messages" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER mailboxes_fill_id BEFORE INSERT ON "mailboxes" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER messages_fill_id BEFORE INSERT ON "messages" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER organizations_fill_id BEFORE INSERT ON "organizations" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER outbox_fill_id BEFORE INSERT ON "outbox" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER saved_views_fill_id BEFORE INSERT ON "saved_views" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER sign_in_failures_fill_id BEFORE INSERT ON "sign_in_failures" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER sla_policies_fill_id BEFORE INSERT ON "sla_policies" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER sla_targets_fill_id BEFORE INSERT ON "sla_targets" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER tickets_fill_id BEFORE INSERT ON "tickets" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER users_fill_id BEFORE INSERT ON "users" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER sms_inbox_fill_id BEFORE INSERT ON "sms_inbox" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
--> statement-breakpoint
CREATE TRIGGER worklogs_fill_id BEFORE INSERT ON "worklogs" FOR EACH ROW EXECUTE FUNCTION helpdesk_fill_id();
