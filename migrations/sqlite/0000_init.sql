CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_uq` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`content_id` text,
	`inline` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attachments_message_idx` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `business_calendars` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`weekly_hours` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `calendar_exceptions` (
	`id` integer PRIMARY KEY NOT NULL,
	`calendar_id` integer NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`hours` text,
	`note` text,
	FOREIGN KEY (`calendar_id`) REFERENCES `business_calendars`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_exceptions_uq` ON `calendar_exceptions` (`calendar_id`,`date`);--> statement-breakpoint
CREATE TABLE `canned_replies` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`locale` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `component_agents` (
	`component_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`component_id`, `user_id`),
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `component_agents_user_idx` ON `component_agents` (`user_id`);--> statement-breakpoint
CREATE TABLE `components` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`manager_id` integer,
	`auto_assign` text DEFAULT 'off' NOT NULL,
	`last_assigned_user_id` integer,
	`keywords` text DEFAULT '[]' NOT NULL,
	`email_aliases` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `components_name_uq` ON `components` (`name`);--> statement-breakpoint
CREATE TABLE `contact_emails` (
	`id` integer PRIMARY KEY NOT NULL,
	`contact_id` integer NOT NULL,
	`email` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`undeliverable_at` integer,
	`undeliverable_reason` text,
	`opted_out_at` integer,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_emails_email_uq` ON `contact_emails` (`email`);--> statement-breakpoint
CREATE INDEX `contact_emails_contact_idx` ON `contact_emails` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contact_phones` (
	`id` integer PRIMARY KEY NOT NULL,
	`contact_id` integer NOT NULL,
	`phone` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`sms_opted_out_at` integer,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_phones_phone_uq` ON `contact_phones` (`phone`);--> statement-breakpoint
CREATE INDEX `contact_phones_contact_idx` ON `contact_phones` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`organization_id` integer,
	`locale` text,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contacts_org_idx` ON `contacts` (`organization_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer,
	`actor_user_id` integer,
	`actor_kind` text NOT NULL,
	`type` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `events_ticket_idx` ON `events` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `inbound_messages` (
	`id` integer PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`source` text NOT NULL,
	`mailbox_id` integer,
	`dedupe_key` text NOT NULL,
	`external_id` text,
	`raw_sha256` text NOT NULL,
	`raw_size` integer NOT NULL,
	`from_address` text,
	`subject` text,
	`outcome` text NOT NULL,
	`reason` text,
	`error` text,
	`ticket_id` integer,
	`attempts` integer DEFAULT 1 NOT NULL,
	`problems` text,
	`received_at` integer NOT NULL,
	`processed_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_dedupe_uq` ON `inbound_messages` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `inbound_outcome_idx` ON `inbound_messages` (`outcome`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_mailbox_idx` ON `inbound_messages` (`mailbox_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `mailboxes` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`host` text NOT NULL,
	`port` integer DEFAULT 993 NOT NULL,
	`secure` integer DEFAULT true NOT NULL,
	`username` text NOT NULL,
	`password` text NOT NULL,
	`folder` text DEFAULT 'INBOX' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`mark_seen` integer DEFAULT false NOT NULL,
	`move_to` text,
	`component_id` integer,
	`from_env` integer DEFAULT false NOT NULL,
	`uid_validity` text,
	`last_uid` integer DEFAULT 0 NOT NULL,
	`last_success_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`import_since` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailboxes_address_uq` ON `mailboxes` (`address`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`kind` text NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`author_user_id` integer,
	`author_contact_id` integer,
	`from_address` text,
	`to_addresses` text,
	`cc_addresses` text,
	`subject` text,
	`body_text` text DEFAULT '' NOT NULL,
	`new_text` text,
	`body_html` text,
	`header_message_id` text,
	`in_reply_to` text,
	`references` text,
	`inbound_message_id` integer,
	`is_auto_reply` integer DEFAULT false NOT NULL,
	`delivery_status` text,
	`external_id` text,
	`event_type` text,
	`event_data` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`inbound_message_id`) REFERENCES `inbound_messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `messages_ticket_idx` ON `messages` (`ticket_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_header_mid_idx` ON `messages` (`header_message_id`);--> statement-breakpoint
CREATE INDEX `messages_external_idx` ON `messages` (`external_id`);--> statement-breakpoint
CREATE TABLE `organization_domains` (
	`domain` text PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`note` text,
	`monthly_fee_cents` integer,
	`currency` text DEFAULT 'RUB' NOT NULL,
	`included_minutes` integer,
	`hourly_rate_cents` integer,
	`reopen_limit` integer,
	`reopen_window_days` integer,
	`ticket_time_budget_minutes` integer,
	`sla_policy_id` integer,
	`covered_component_ids` text,
	`covered_channels` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`sla_policy_id`) REFERENCES `sla_policies`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_name_uq` ON `organizations` (`name`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`event` text NOT NULL,
	`ticket_id` integer,
	`message_id` integer,
	`recipient` text NOT NULL,
	`cc` text,
	`header_message_id` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`provider_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`recipient`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_ticket_idx` ON `outbox` (`ticket_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbox_status_id_idx` ON `outbox` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `saved_views` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `saved_views_user_idx` ON `saved_views` (`user_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`user_agent` text,
	`ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`calendar_id` integer,
	`warning_percent` integer DEFAULT 80 NOT NULL,
	`pause_on_third_party` integer DEFAULT false NOT NULL,
	`escalation_minutes` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `business_calendars`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `sla_targets` (
	`id` integer PRIMARY KEY NOT NULL,
	`policy_id` integer NOT NULL,
	`priority` text NOT NULL,
	`first_response_minutes` integer,
	`next_response_minutes` integer,
	`resolution_minutes` integer,
	`internal_first_response_minutes` integer,
	`internal_resolution_minutes` integer,
	FOREIGN KEY (`policy_id`) REFERENCES `sla_policies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sla_targets_uq` ON `sla_targets` (`policy_id`,`priority`);--> statement-breakpoint
CREATE TABLE `sms_inbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_sid` text NOT NULL,
	`from_address` text,
	`raw` text NOT NULL,
	`has_media` integer DEFAULT false NOT NULL,
	`received_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sms_inbox_sid_uq` ON `sms_inbox` (`message_sid`);--> statement-breakpoint
CREATE INDEX `sms_inbox_due_idx` ON `sms_inbox` (`next_attempt_at`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_links` (
	`ticket_id` integer NOT NULL,
	`linked_ticket_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `linked_ticket_id`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `ticket_participants` (
	`ticket_id` integer NOT NULL,
	`address` text NOT NULL,
	`role` text DEFAULT 'cc' NOT NULL,
	PRIMARY KEY(`ticket_id`, `address`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_participants_address_idx` ON `ticket_participants` (`address`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`subject` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`type` text DEFAULT 'incident' NOT NULL,
	`category` text,
	`channel` text NOT NULL,
	`component_id` integer,
	`requester_id` integer,
	`organization_id` integer,
	`assignee_id` integer,
	`mailbox_id` integer,
	`estimate_minutes` integer,
	`logged_minutes` integer DEFAULT 0 NOT NULL,
	`resolution_note` text,
	`first_response_due_at` integer,
	`next_response_due_at` integer,
	`resolution_due_at` integer,
	`first_responded_at` integer,
	`sla_paused_at` integer,
	`sla_state` text,
	`sla_next_event_at` integer,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`parent_ticket_id` integer,
	`merged_into_id` integer,
	`billable` integer DEFAULT false NOT NULL,
	`escalated_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`last_activity_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`is_open` integer GENERATED ALWAYS AS (status not in ('resolved', 'closed')) VIRTUAL,
	`priority_order` integer GENERATED ALWAYS AS (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end) VIRTUAL,
	`sla_due_key` integer GENERATED ALWAYS AS (case when sla_paused_at is not null then 9007199254740991 else min(
    case when first_responded_at is null then coalesce(first_response_due_at, 9007199254740991) else 9007199254740991 end,
    coalesce(next_response_due_at, 9007199254740991), coalesce(resolution_due_at, 9007199254740991)) end) VIRTUAL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`requester_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `tickets_open_activity_idx` ON `tickets` (`is_open`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_id_idx` ON `tickets` (`is_open`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_assignee_activity_idx` ON `tickets` (`is_open`,`assignee_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_component_activity_idx` ON `tickets` (`is_open`,`component_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_due_idx` ON `tickets` (`is_open`,`sla_due_key`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_priority_idx` ON `tickets` (`is_open`,`priority_order`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_org_activity_idx` ON `tickets` (`is_open`,`organization_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_activity_idx` ON `tickets` (`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_status_activity_idx` ON `tickets` (`status`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_activity_idx` ON `tickets` (`assignee_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_id_idx` ON `tickets` (`assignee_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_component_activity_idx` ON `tickets` (`component_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_component_id_idx` ON `tickets` (`component_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_org_activity_idx` ON `tickets` (`organization_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_number_uq` ON `tickets` (`number`);--> statement-breakpoint
CREATE INDEX `tickets_status_id_idx` ON `tickets` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_idx` ON `tickets` (`assignee_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_component_status_idx` ON `tickets` (`component_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_requester_idx` ON `tickets` (`requester_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_org_idx` ON `tickets` (`organization_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_resolution_due_idx` ON `tickets` (`resolution_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_sla_next_event_idx` ON `tickets` (`sla_next_event_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`available` integer DEFAULT true NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`notify_prefs` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `worklogs` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`user_id` integer,
	`minutes` integer NOT NULL,
	`note` text,
	`billable` integer DEFAULT true NOT NULL,
	`worked_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `worklogs_ticket_idx` ON `worklogs` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `worklogs_user_idx` ON `worklogs` (`user_id`,`worked_at`);