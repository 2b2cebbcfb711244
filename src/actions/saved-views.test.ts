import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listSavedViews } from '../store/saved-views.ts';
import { removeView, saveView } from './saved-views.ts';

describe('saved views', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(() => {
    deps = makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('saves queue views per user under a canonical query, replacing one of the same name', async () => {
    const a = await person(s, 'A');
    const b = await person(s, 'B');
    saveView(s.ctx, a, { name: 'Urgent mine', query: { view: 'mine', priority: 'urgent', cursor: 'abc', junk: 'x' } });
    const again = saveView(s.ctx, a, { name: 'urgent MINE', query: { view: 'mine', priority: 'urgent,high' } });
    expect(listSavedViews(deps.db, a.id)).toEqual([expect.objectContaining({ id: again.id, query: 'view=mine&priority=urgent%2Chigh' })]);
    expect(listSavedViews(deps.db, b.id)).toEqual([]);
    expect(() => removeView(s.ctx, b, again.id)).toThrow(/not found/);
    removeView(s.ctx, a, again.id);
    expect(() => saveView(s.ctx, a, { name: '  ', query: {} })).toThrow(/Name the view/);
  });
});
