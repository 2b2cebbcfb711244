import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { getKbArticle, kbFigures, listKbArticles, listKbCategories, listKbTranslations, listKbVersions } from '../store/kb.ts';
import { updateTicket } from '../store/tickets.ts';
import { buildServices, type Services } from '../services.ts';
import {
  createKbArticle, createKbCategory, deleteKbArticle, deleteKbCategory, draftFromTicket, editKbArticle, editKbCategory, linkKbTranslation, mayEditKbArticle, publishKbArticle,
  DEFLECTION_WINDOW_MS, readKbArticle, recordKbDeflection, staffReader, unlinkKbTranslation, voteKbArticle, type KbReader,
} from './kb.ts';
import { replyToTicket } from './tickets.ts';

describe('knowledge base', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());
  const requester: KbReader = { access: 'public', voter: { session: 'requester' } };
  const anonymous: KbReader = { access: 'public', voter: { session: 'abc' } };

  it('agents write drafts, each save kept as a version; managers publish them for requesters', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const agent = await person(s, 'Sarah Lee');
    const cat = await createKbCategory(s.ctx, boss, { name: 'Printers' });
    await expect(createKbCategory(s.ctx, agent, { name: 'Mail' })).rejects.toThrow(/not allowed/);
    await expect(createKbCategory(s.ctx, boss, { name: 'Printers' })).rejects.toThrow(/exists/);
    const a = await createKbArticle(s.ctx, agent, { title: 'Paper jam', body: 'Open the tray.', categoryId: cat.id, visibility: 'public' });
    expect(a).toMatchObject({ status: 'draft', authorId: agent.id, locale: 'en' });
    await editKbArticle(s.ctx, agent, a.id, { title: 'Paper jam', body: 'Open tray **B**.', categoryId: cat.id, visibility: 'public' });
    await editKbArticle(s.ctx, agent, a.id, { title: 'Paper jam', body: 'Open tray **B**.', categoryId: null, visibility: 'public' });
    expect((await listKbVersions(deps.db, a.id)).map((v) => v.body)).toEqual(['Open tray **B**.', 'Open the tray.']);
    await expect(editKbArticle(s.ctx, agent, a.id, { title: '', body: 'x' })).rejects.toThrow(/title/);

    // a draft is the writers' alone
    await expect(readKbArticle(s.ctx, requester, a.id)).rejects.toThrow(/not found/);
    await expect(publishKbArticle(s.ctx, agent, a.id, true)).rejects.toThrow(/not allowed/);
    await publishKbArticle(s.ctx, boss, a.id, true);
    expect((await readKbArticle(s.ctx, requester, a.id)).views).toBe(1);
    // published, it is live: only who may publish changes it (an agent could otherwise make it internal, or say anything)
    const published = await getKbArticle(deps.db, a.id);
    expect([mayEditKbArticle(agent, published), mayEditKbArticle(boss, published)]).toEqual([false, true]);
    await expect(editKbArticle(s.ctx, agent, a.id, { title: 'Paper jam', body: 'Call us.', visibility: 'internal' })).rejects.toThrow(/not allowed/);
    await editKbArticle(s.ctx, boss, a.id, { title: 'Paper jam', body: 'Open tray **B**, then C.', categoryId: cat.id, visibility: 'public' });
    expect((await getKbArticle(deps.db, a.id)).body).toBe('Open tray **B**, then C.');
    expect((await listKbArticles(deps.db, { access: 'public', text: 'трей OR tray' })).map((x) => x.id)).toEqual([a.id]);
    await publishKbArticle(s.ctx, boss, a.id, false);
    await expect(readKbArticle(s.ctx, anonymous, a.id)).rejects.toThrow(/not found/);
  });

  it('counts views, one vote per reader and deflected requests; internal articles stay with staff', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const a = await createKbArticle(s.ctx, boss, { title: 'VPN', body: 'Reconnect.', visibility: 'internal' });
    await publishKbArticle(s.ctx, boss, a.id, true);
    await expect(voteKbArticle(s.ctx, requester, a.id, true)).rejects.toThrow(/not found/);
    await readKbArticle(s.ctx, staffReader(boss), a.id); // the author: not counted
    const agent = await person(s, 'Sarah Lee');
    await readKbArticle(s.ctx, staffReader(agent), a.id);
    await voteKbArticle(s.ctx, staffReader(boss), a.id, false);
    await voteKbArticle(s.ctx, staffReader(boss), a.id, true);
    const pub = await createKbArticle(s.ctx, boss, { title: 'Wi-Fi', body: 'Join "Guest".', visibility: 'public' });
    await publishKbArticle(s.ctx, boss, pub.id, true);
    await voteKbArticle(s.ctx, anonymous, pub.id, false);
    const anna = (await ticket(s, boss)).requesterId!;
    await recordKbDeflection(s.ctx, { access: 'public', voter: { contact: anna } }, pub.id);
    // pressed again (or by an anonymous reader twice) the same day: not another request saved; the next day it is
    await recordKbDeflection(s.ctx, { access: 'public', voter: { contact: anna } }, pub.id);
    await recordKbDeflection(s.ctx, anonymous, pub.id);
    await recordKbDeflection(s.ctx, anonymous, pub.id);
    const f = await kbFigures(deps.db, [a.id, pub.id]);
    expect(f.get(a.id)).toEqual({ helpful: 1, unhelpful: 0, deflections: 0 });
    expect(f.get(pub.id)).toEqual({ helpful: 0, unhelpful: 1, deflections: 2 });
    deps.clock.advance(DEFLECTION_WINDOW_MS);
    await recordKbDeflection(s.ctx, { access: 'public', voter: { contact: anna } }, pub.id);
    expect((await kbFigures(deps.db, [pub.id])).get(pub.id)!.deflections).toBe(3);
    expect((await getKbArticle(deps.db, a.id)).views).toBe(1);
  });

  it('links the English and the Russian version as translations', async () => {
    const agent = await person(s, 'Sarah Lee');
    const en = await createKbArticle(s.ctx, agent, { title: 'Printer', body: 'x' });
    const ru = await createKbArticle(s.ctx, agent, { title: 'Принтер', body: 'x', locale: 'ru' });
    const en2 = await createKbArticle(s.ctx, agent, { title: 'Printer 2', body: 'x' });
    await expect(linkKbTranslation(s.ctx, agent, en.id, en2.id)).rejects.toThrow(/other language/);
    await linkKbTranslation(s.ctx, agent, ru.id, en.id);
    expect((await listKbTranslations(deps.db, await getKbArticle(deps.db, en.id))).map((a) => a.title)).toEqual(['Принтер']);
    expect((await listKbTranslations(deps.db, await getKbArticle(deps.db, ru.id))).map((a) => a.title)).toEqual(['Printer']);
    // linked by mistake: unlinked, and the one left alone is in no group either
    await unlinkKbTranslation(s.ctx, agent, ru.id);
    expect(await listKbTranslations(deps.db, await getKbArticle(deps.db, en.id))).toEqual([]);
    expect((await getKbArticle(deps.db, en.id)).translationGroup).toBeNull();
    expect((await getKbArticle(deps.db, ru.id)).translationGroup).toBeNull();
    // an article deleted leaves its translation alone
    await linkKbTranslation(s.ctx, agent, ru.id, en2.id);
    await deleteKbArticle(s.ctx, agent, en2.id);
    expect((await getKbArticle(deps.db, ru.id)).translationGroup).toBeNull();
  });

  it('deletes an article with its history, votes and figures, and out of search; a published one only by who publishes; recorded', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const agent = await person(s, 'Sarah Lee');
    const draft = await createKbArticle(s.ctx, agent, { title: 'Wombat draft', body: 'x', visibility: 'public' });
    const live = await createKbArticle(s.ctx, agent, { title: 'Wombat live', body: 'x', visibility: 'public' });
    await publishKbArticle(s.ctx, boss, live.id, true);
    await editKbArticle(s.ctx, boss, live.id, { title: 'Wombat live', body: 'y', visibility: 'public' });
    await voteKbArticle(s.ctx, requester, live.id, true);
    await recordKbDeflection(s.ctx, requester, live.id);
    expect((await listKbArticles(deps.db, { access: 'all', text: 'wombat' })).length).toBe(2);

    await deleteKbArticle(s.ctx, agent, draft.id);
    await expect(deleteKbArticle(s.ctx, agent, live.id)).rejects.toThrow(/not allowed/);
    await deleteKbArticle(s.ctx, boss, live.id);
    expect(await listKbArticles(deps.db, { access: 'all', text: 'wombat' })).toEqual([]);
    await expect(getKbArticle(deps.db, live.id)).rejects.toThrow(/not found/);
    for (const table of ['kb_article_versions', 'kb_votes', 'kb_deflections']) {
      expect(Number((await deps.db.all<{ n: number | string }>(`select count(*) as n from ${table} where article_id = ?`, live.id))[0].n), table).toBe(0);
    }
    const events = await deps.db.all<{ data: string }>("select data from events where type = 'kb.article_deleted' order by id");
    expect(events.map((e) => JSON.parse(e.data))).toEqual([
      { articleId: draft.id, title: 'Wombat draft', locale: 'en', status: 'draft' },
      { articleId: live.id, title: 'Wombat live', locale: 'en', status: 'published' },
    ]);
    await expect(deleteKbArticle(s.ctx, boss, live.id)).rejects.toThrow(/not found/);
  });

  it('makes a draft from a resolved ticket: its subject, resolution note and last answer', async () => {
    const agent = await person(s, 'Sarah Lee');
    const t = await ticket(s, agent, { subject: 'Printer offline' });
    await replyToTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, body: 'Please try again.' });
    await replyToTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, body: 'Switch it off and on; it reconnects to Wi-Fi.' });
    await expect(draftFromTicket(s.ctx, agent, t.id, 'en')).rejects.toThrow(/resolved/);
    await updateTicket(deps.db, t.id, { status: 'resolved', resolutionNote: 'The printer lost its Wi-Fi address.' }, deps.clock.now());
    const d = await draftFromTicket(s.ctx, agent, t.id, 'en');
    expect(d).toMatchObject({ title: 'Printer offline', status: 'draft', visibility: 'internal', sourceTicketId: t.id });
    expect(d.body).toBe('The printer lost its Wi-Fi address.\n\nSwitch it off and on; it reconnects to Wi-Fi.');
  });

  it('puts a draft from a ticket in the category tied to its component: the first as listed, else none', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const agent = await person(s, 'Sarah Lee');
    const printers = await component(s, 'Printers', []);
    const mail = await component(s, 'Mail', []);
    await createKbCategory(s.ctx, boss, { name: 'Toner', componentId: printers.id });
    const jams = await createKbCategory(s.ctx, boss, { name: 'Jams', componentId: printers.id });
    const draft = async (componentId: number | undefined) => {
      const t = await ticket(s, agent, { subject: 'Printer offline', componentId });
      await updateTicket(deps.db, t.id, { status: 'resolved', resolutionNote: 'Restarted.' }, deps.clock.now());
      return await draftFromTicket(s.ctx, agent, t.id, 'en');
    };
    expect((await draft(printers.id)).categoryId).toBe(jams.id);
    expect((await draft(mail.id)).categoryId).toBeNull();
    expect((await draft(undefined)).categoryId).toBeNull();
  });

  it('renames categories, ties them to another component, and deletes one with articles only by moving them', async () => {
    const boss = await person(s, 'Olga', 'manager');
    const agent = await person(s, 'Sarah Lee');
    const printers = await component(s, 'Printers', []);
    const old = await createKbCategory(s.ctx, boss, { name: 'Printers' });
    const other = await createKbCategory(s.ctx, boss, { name: 'Hardware' });
    await expect(editKbCategory(s.ctx, agent, old.id, { name: 'Printing' })).rejects.toThrow(/not allowed/);
    await expect(editKbCategory(s.ctx, boss, old.id, { name: 'Hardware' })).rejects.toThrow(/exists/);
    await expect(editKbCategory(s.ctx, boss, old.id, { name: ' ' })).rejects.toThrow(/name/);
    await editKbCategory(s.ctx, boss, old.id, { name: 'Printing', componentId: printers.id });
    expect((await listKbCategories(deps.db)).map((c) => [c.name, c.componentId])).toEqual([['Hardware', null], ['Printing', printers.id]]);

    const a = await createKbArticle(s.ctx, agent, { title: 'Paper jam', body: 'Open the tray.', categoryId: old.id });
    await expect(deleteKbCategory(s.ctx, agent, old.id, other.id)).rejects.toThrow(/not allowed/);
    await expect(deleteKbCategory(s.ctx, boss, old.id, null)).rejects.toThrow(/move to/);
    await expect(deleteKbCategory(s.ctx, boss, old.id, old.id)).rejects.toThrow(/move to/);
    await expect(deleteKbCategory(s.ctx, boss, old.id, 99999)).rejects.toThrow(/move to/);
    expect((await getKbArticle(deps.db, a.id)).categoryId).toBe(old.id);
    await deleteKbCategory(s.ctx, boss, old.id, other.id);
    expect((await getKbArticle(deps.db, a.id)).categoryId).toBe(other.id);
    expect((await listKbCategories(deps.db)).map((c) => c.name)).toEqual(['Hardware']);
    await expect(deleteKbCategory(s.ctx, boss, old.id, other.id)).rejects.toThrow(/not found/);
    // an empty category goes without asking where
    const empty = await createKbCategory(s.ctx, boss, { name: 'Empty' });
    await deleteKbCategory(s.ctx, boss, empty.id, null);
    expect((await listKbCategories(deps.db)).map((c) => c.name)).toEqual(['Hardware']);
  });
});
