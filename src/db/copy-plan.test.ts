import { getTableConfig, integer, primaryKey, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { copyPlan, ROW_TABLES, SCHEMA_TABLES } from './copy-plan.ts';

describe('the copy plan', () => {
  it('copies every table of the schema once, each after the tables it references, without the generated columns', () => {
    const plan = copyPlan();
    expect(plan.map((t) => t.name).sort()).toEqual(SCHEMA_TABLES.map((t) => getTableConfig(t).name).sort());
    const position = new Map(plan.map((t, i) => [t.name, i]));
    for (const table of SCHEMA_TABLES) {
      const cfg = getTableConfig(table);
      for (const fk of cfg.foreignKeys) {
        const target = getTableConfig(fk.reference().foreignTable).name;
        expect(position.get(target), `${cfg.name} → ${target}`).toBeLessThan(position.get(cfg.name)!);
      }
    }
    const tickets = plan.find((t) => t.name === 'tickets')!;
    expect(tickets.columns).toContain('sla_paused_at');
    expect(tickets.columns).not.toContain('is_open');
    expect(tickets.columns).not.toContain('sla_due_key');
    expect(plan.find((t) => t.name === 'ticket_links')!.key).toEqual(['ticket_id', 'linked_ticket_id']);
    // nothing in the schema references its own table (today): nothing waits for a second pass
    expect(plan.filter((t) => t.later.length)).toEqual([]);
  });

  it('copies as rows every table but the file store\'s, whose files come from DATA_DIR', () => {
    const names = (ts: typeof SCHEMA_TABLES) => ts.map((t) => getTableConfig(t).name).sort();
    expect(names(SCHEMA_TABLES).filter((n) => !names(ROW_TABLES).includes(n))).toEqual(['stored_file_chunks', 'stored_files']);
    expect(ROW_TABLES.length).toBe(SCHEMA_TABLES.length - 2);
  });

  const people = sqliteTable('people', {
    id: integer('id').primaryKey(),
    managerId: integer('manager_id').references((): AnySQLiteColumn => people.id),
    teamId: integer('team_id').notNull().references((): AnySQLiteColumn => teams.id),
  });
  const teams = sqliteTable('teams', {
    id: integer('id').primaryKey(),
    leadId: integer('lead_id').references((): AnySQLiteColumn => people.id),
  });
  const badges = sqliteTable('badges', {
    personId: integer('person_id').notNull().references(() => people.id),
    name: text('name').notNull(),
  }, (t) => [primaryKey({ columns: [t.personId, t.name] })]);

  it('fills a reference to the same table in later, and breaks a cycle at a column that may be null', () => {
    const plan = copyPlan([badges, people, teams]);
    expect(plan).toEqual([
      { name: 'teams', columns: ['id', 'lead_id'], key: ['id'], later: ['lead_id'] },
      { name: 'people', columns: ['id', 'manager_id', 'team_id'], key: ['id'], later: ['manager_id'] },
      { name: 'badges', columns: ['person_id', 'name'], key: ['person_id', 'name'], later: [] },
    ]);
  });

  it('refuses tables that reference each other through columns that cannot be null', () => {
    const a = sqliteTable('a', { id: integer('id').primaryKey(), bId: integer('b_id').notNull().references((): AnySQLiteColumn => b.id) });
    const b = sqliteTable('b', { id: integer('id').primaryKey(), aId: integer('a_id').notNull().references((): AnySQLiteColumn => a.id) });
    expect(() => copyPlan([a, b])).toThrow(/a, b reference each other through columns that cannot be null/);
  });
});
