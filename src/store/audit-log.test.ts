import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { insertAuditEntry, listAuditActors, listAuditEntries } from './audit-log.ts';

describe('audit log store', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  const entry = (at: number, more: Partial<Parameters<typeof insertAuditEntry>[1]> = {}) => insertAuditEntry(deps.db, {
    createdAt: at, actorKind: 'user', actorUserId: 7, actorName: 'Olga', subjectKind: 'component', subjectId: 1, subjectLabel: 'Printers',
    action: 'updated', before: { name: 'Print' }, after: { name: 'Printers' }, ...more,
  });

  it('refuses to change or delete an entry, on this engine too', async () => {
    await entry(1000);
    await expect(deps.db.run('update audit_log set action = ?', 'forged')).rejects.toThrow(/append-only/);
    await expect(deps.db.run('delete from audit_log')).rejects.toThrow(/append-only/);
    const [row] = await listAuditEntries(deps.db, {}, { limit: 10 });
    expect(row).toMatchObject({ action: 'updated', before: { name: 'Print' }, after: { name: 'Printers' } });
  });

  it('filters by person, system, kind, period and words of the label, newest first, page by page', async () => {
    await entry(1000);
    await entry(2000, { actorKind: 'system', actorUserId: null, actorName: '', subjectKind: 'user', subjectLabel: 'Ivan <ivan@desk.test>' });
    await entry(3000, { actorUserId: 8, actorName: 'Pavel', subjectLabel: '100%_sure' });
    await entry(4000, { actorName: 'Olga Smirnova', subjectKind: 'mailbox', subjectLabel: 'Support <help@desk.test>' });
    const labels = async (f: Parameters<typeof listAuditEntries>[1], before?: number) => (await listAuditEntries(deps.db, f, { limit: 2, before })).map((e) => e.subjectLabel);
    expect(await labels({})).toEqual(['Support <help@desk.test>', '100%_sure']);
    const page1 = await listAuditEntries(deps.db, {}, { limit: 2 });
    expect(await labels({}, page1[1].id)).toEqual(['Ivan <ivan@desk.test>', 'Printers']);
    expect(await labels({ actorUserId: 7 })).toEqual(['Support <help@desk.test>', 'Printers']);
    expect(await labels({ system: true })).toEqual(['Ivan <ivan@desk.test>']);
    expect(await labels({ kind: 'component' })).toEqual(['100%_sure', 'Printers']);
    expect(await labels({ from: 2000, to: 4000 })).toEqual(['100%_sure', 'Ivan <ivan@desk.test>']);
    expect(await labels({ q: 'IVAN' })).toEqual(['Ivan <ivan@desk.test>']);
    expect(await labels({ q: '%_' })).toEqual(['100%_sure']);
    expect(await labels({ q: '_' })).toEqual(['100%_sure']);
    // each person under their latest name in the log
    expect(await listAuditActors(deps.db)).toEqual([{ id: 7, name: 'Olga Smirnova' }, { id: 8, name: 'Pavel' }]);
  });
});
