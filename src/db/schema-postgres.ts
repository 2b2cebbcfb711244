// The same schema for PostgreSQL, made from src/db/schema.ts table by table, so the two cannot
// drift: drizzle-kit generates migrations/postgres/ from this file (`npm run db:generate`).
// Values are stored as on SQLite, so one store and one set of column codecs serve both engines:
// integers and times (milliseconds) as bigint, flags as integer 0/1, JSON as text, bytes as
// bytea. Generated columns are stored (PostgreSQL 15 has no virtual ones) and say in PostgreSQL's
// words what the SQLite expression says. Full-text search is not described here: its columns, indexes and
// triggers are in a custom migration, as on SQLite.
import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import {
  bigint, customType, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex,
  type AnyPgColumn, type PgColumnBuilderBase, type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as lite from './schema.ts';

const NONE = 9007199254740991; // SLA_NONE

/** SQLite generated-column expressions, as PostgreSQL writes them (flags are 0/1 integers here). */
const GENERATED: Record<string, SQL> = {
  'tickets.is_open': sql`(case when status not in ('resolved', 'closed') then 1 else 0 end)`,
  'tickets.priority_order': sql`(case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end)`,
  'tickets.sla_due_key': sql.raw(`(case when sla_paused_at is not null then ${NONE} else least(
    case when first_responded_at is null then coalesce(first_response_due_at, ${NONE}) else ${NONE} end,
    coalesce(next_response_due_at, ${NONE}), coalesce(resolution_due_at, ${NONE})) end)`),
  'tickets.done_at': sql`coalesce(resolved_at, closed_at)`,
};

/** A column's default as stored: flags 0/1, JSON as its text. */
function storedDefault(c: SQLiteColumn): unknown {
  const d = c.default;
  if (is(d, SQL)) return d;
  if (c.columnType === 'SQLiteBoolean') return d ? 1 : 0;
  if (c.columnType === 'SQLiteTextJson') return JSON.stringify(d);
  return d;
}

/** Bytes (a file store chunk): bytea, read and written as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

function column(table: string, c: SQLiteColumn, singleIntegerKey: boolean): PgColumnBuilderBase {
  let b;
  switch (c.columnType) {
    case 'SQLiteInteger':
      b = bigint(c.name, { mode: 'number' });
      break;
    case 'SQLiteBoolean':
      b = integer(c.name);
      break;
    case 'SQLiteText':
    case 'SQLiteTextJson':
      b = text(c.name);
      break;
    case 'SQLiteBlobBuffer':
      b = bytea(c.name);
      break;
    default:
      throw new Error(`schema-postgres: ${table}.${c.name} has a column type without a PostgreSQL twin (${c.columnType})`);
  }
  if (c.generated) {
    const expr = GENERATED[`${table}.${c.name}`];
    if (!expr) throw new Error(`schema-postgres: ${table}.${c.name} is generated; write its expression in GENERATED`);
    return b.generatedAlwaysAs(expr);
  }
  if (c.primary && singleIntegerKey) return (b as ReturnType<typeof bigint>).primaryKey().generatedByDefaultAsIdentity();
  if (c.primary) b = b.primaryKey();
  if (c.notNull && !c.primary) b = b.notNull();
  if (c.hasDefault && c.default !== undefined) b = b.default(storedDefault(c) as never);
  return b;
}

// a pure memo of constants: one twin per table of the schema (37), so references share it
const made = new Map<SQLiteTable, PgTableWithColumns<never>>();

/** The PostgreSQL twin of one SQLite table: columns, keys, indexes and foreign keys. */
export function pgTwin(t: SQLiteTable): PgTableWithColumns<never> {
  const kept = made.get(t);
  if (kept) return kept;
  const cfg = getTableConfig(t);
  const keys = Object.entries(getTableColumns(t) as Record<string, SQLiteColumn>);
  const singleIntegerKey = keys.filter(([, c]) => c.primary).length === 1 && keys.some(([, c]) => c.primary && c.columnType === 'SQLiteInteger');
  const columns = Object.fromEntries(keys.map(([key, c]) => [key, column(cfg.name, c, singleIntegerKey)]));
  const twin = pgTable(cfg.name, columns, (pt) => {
    const col = (c: SQLiteColumn) => (pt as unknown as Record<string, AnyPgColumn>)[keys.find(([, x]) => x === c)![0]];
    return [
      ...cfg.primaryKeys.map((pk) => primaryKey({ columns: pk.columns.map((c) => col(c as SQLiteColumn)) as [AnyPgColumn, ...AnyPgColumn[]] })),
      ...cfg.indexes.map((i) => {
        const on = i.config.columns.map((c) => col(c as SQLiteColumn)) as [AnyPgColumn, ...AnyPgColumn[]];
        const ix = (i.config.unique ? uniqueIndex(i.config.name) : index(i.config.name)).on(...on);
        // a partial index keeps its condition (written in SQL both engines read alike)
        return i.config.where ? ix.where(i.config.where) : ix;
      }),
      ...cfg.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const foreign = pgTwin(ref.foreignTable) as unknown as Record<string, AnyPgColumn>;
        const foreignKeyOf = (c: SQLiteColumn) => Object.entries(getTableColumns(ref.foreignTable)).find(([, x]) => x === c)![0];
        let f = foreignKey({
          columns: ref.columns.map((c) => col(c)) as [AnyPgColumn, ...AnyPgColumn[]],
          foreignColumns: ref.foreignColumns.map((c) => foreign[foreignKeyOf(c)]) as [AnyPgColumn, ...AnyPgColumn[]],
          name: fk.getName(),
        });
        if (fk.onDelete) f = f.onDelete(fk.onDelete);
        if (fk.onUpdate) f = f.onUpdate(fk.onUpdate);
        return f;
      }),
    ];
  }) as unknown as PgTableWithColumns<never>;
  made.set(t, twin);
  return twin;
}

// one export per table: drizzle-kit reads the tables from this module's exports
export const users = pgTwin(lite.users);
export const sessions = pgTwin(lite.sessions);
export const apiTokens = pgTwin(lite.apiTokens);
export const signInFailures = pgTwin(lite.signInFailures);
export const signInKnownClients = pgTwin(lite.signInKnownClients);
export const businessCalendars = pgTwin(lite.businessCalendars);
export const calendarExceptions = pgTwin(lite.calendarExceptions);
export const slaPolicies = pgTwin(lite.slaPolicies);
export const slaTargets = pgTwin(lite.slaTargets);
export const organizations = pgTwin(lite.organizations);
export const organizationDomains = pgTwin(lite.organizationDomains);
export const contacts = pgTwin(lite.contacts);
export const contactEmails = pgTwin(lite.contactEmails);
export const contactPhones = pgTwin(lite.contactPhones);
export const portalSignIns = pgTwin(lite.portalSignIns);
export const components = pgTwin(lite.components);
export const componentAgents = pgTwin(lite.componentAgents);
export const mailboxes = pgTwin(lite.mailboxes);
export const tickets = pgTwin(lite.tickets);
export const ticketParticipants = pgTwin(lite.ticketParticipants);
export const ticketLinks = pgTwin(lite.ticketLinks);
export const inboundMessages = pgTwin(lite.inboundMessages);
export const messages = pgTwin(lite.messages);
export const attachments = pgTwin(lite.attachments);
export const outbox = pgTwin(lite.outbox);
export const events = pgTwin(lite.events);
export const worklogs = pgTwin(lite.worklogs);
export const cannedReplies = pgTwin(lite.cannedReplies);
export const savedViews = pgTwin(lite.savedViews);
export const settings = pgTwin(lite.settings);
export const webhookInbox = pgTwin(lite.webhookInbox);
export const presence = pgTwin(lite.presence);
export const storedFiles = pgTwin(lite.storedFiles);
export const storedFileChunks = pgTwin(lite.storedFileChunks);
export const rateLimits = pgTwin(lite.rateLimits);
export const statusSteps = pgTwin(lite.statusSteps);
export const statusCounts = pgTwin(lite.statusCounts);
export const statusCountChanges = pgTwin(lite.statusCountChanges);
export const statusCountState = pgTwin(lite.statusCountState);
export const closedTicketSums = pgTwin(lite.closedTicketSums);
export const closedTicketSumChanges = pgTwin(lite.closedTicketSumChanges);
export const closedTicketSumState = pgTwin(lite.closedTicketSumState);
export const ticketDayCounts = pgTwin(lite.ticketDayCounts);
export const ticketDayCountChanges = pgTwin(lite.ticketDayCountChanges);
export const worklogDaySums = pgTwin(lite.worklogDaySums);
export const worklogDaySumChanges = pgTwin(lite.worklogDaySumChanges);
export const kbCategories = pgTwin(lite.kbCategories);
export const kbArticles = pgTwin(lite.kbArticles);
export const kbArticleVersions = pgTwin(lite.kbArticleVersions);
export const kbVotes = pgTwin(lite.kbVotes);
export const kbDeflections = pgTwin(lite.kbDeflections);
export const auditLog = pgTwin(lite.auditLog);
