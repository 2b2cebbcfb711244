import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listSavedViews } from '../store/saved-views.ts';
import { removeView, saveView } from './saved-views.ts';

describe('saved views', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('saves queue views per user under a canonical query, replacing one of the same name', async () => {
    const a = await person(s, 'A');
    const b = await person(s, 'B');
    await saveView(s.ctx, a, { name: 'Urgent mine', query: { view: 'mine', priority: 'urgent', cursor: 'abc', junk: 'x' } });
    const again = await saveView(s.ctx, a, { name: 'urgent MINE', query: { view: 'mine', priority: 'urgent,high' } });
    expect(await listSavedViews(deps.db, a.id)).toEqual([expect.objectContaining({ id: again.id, query: 'view=mine&priority=urgent%2Chigh' })]);
    expect(await listSavedViews(deps.db, b.id)).toEqual([]);
    await expect(removeView(s.ctx, b, again.id)).rejects.toThrow(/not found/);
    await removeView(s.ctx, a, again.id);
    await expect(saveView(s.ctx, a, { name: '  ', query: {} })).rejects.toThrow(/Name the view/);
  });
});
