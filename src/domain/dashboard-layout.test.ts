import { describe, expect, it } from 'vitest';
import { changeLayout, cleanLayout, MAX_WIDGETS, type DashboardLayout } from './dashboard-layout.ts';

const offered = new Set(['a', 'b', 'c', 'd']);
const layout: DashboardLayout = [{ id: 'a', size: 'small' }, { id: 'b', size: 'wide' }, { id: 'c', size: 'small' }];
const defaults: DashboardLayout = [{ id: 'd', size: 'wide' }, { id: 'gone', size: 'small' }];
const ids = (l: DashboardLayout) => l.map((p) => p.id);

describe('a dashboard layout', () => {
  it('is cleaned on the way in: unknown, repeated and malformed widgets drop out', () => {
    expect(cleanLayout([{ id: 'a' }, { id: 'a', size: 'wide' }, { id: 'x' }, null, 'b', { id: 'b', size: 'huge' }], offered)).toEqual([{ id: 'a', size: 'small' }, { id: 'b', size: 'small' }]);
    expect(cleanLayout('nonsense', offered)).toEqual([]);
    const many = new Set(Array.from({ length: 40 }, (_, i) => `w${i}`));
    expect(cleanLayout([...many].map((id) => ({ id })), many)).toHaveLength(MAX_WIDGETS);
  });

  it('adds a widget once, at the end, and only one that is offered', () => {
    expect(ids(changeLayout(layout, { op: 'add', id: 'd', size: 'small' }, offered, defaults))).toEqual(['a', 'b', 'c', 'd']);
    expect(changeLayout(layout, { op: 'add', id: 'a', size: 'small' }, offered, defaults)).toBe(layout);
    expect(changeLayout(layout, { op: 'add', id: 'x', size: 'small' }, offered, defaults)).toBe(layout);
  });

  it('moves, resizes and removes, and leaves the ends alone', () => {
    expect(ids(changeLayout(layout, { op: 'up', id: 'c' }, offered, defaults))).toEqual(['a', 'c', 'b']);
    expect(ids(changeLayout(layout, { op: 'down', id: 'a' }, offered, defaults))).toEqual(['b', 'a', 'c']);
    expect(changeLayout(layout, { op: 'up', id: 'a' }, offered, defaults)).toBe(layout);
    expect(changeLayout(layout, { op: 'down', id: 'c' }, offered, defaults)).toBe(layout);
    expect(changeLayout(layout, { op: 'resize', id: 'b' }, offered, defaults)[1]).toEqual({ id: 'b', size: 'small' });
    expect(ids(changeLayout(layout, { op: 'remove', id: 'b' }, offered, defaults))).toEqual(['a', 'c']);
    expect(changeLayout(layout, { op: 'remove', id: 'x' }, offered, defaults)).toBe(layout);
  });

  it('takes a dragged order, keeping widgets it does not name at the end', () => {
    expect(ids(changeLayout(layout, { op: 'order', ids: ['c', 'x', 'a', 'c'] }, offered, defaults))).toEqual(['c', 'a', 'b']);
  });

  it('resets to the role’s default, as far as it is offered', () => {
    expect(changeLayout(layout, { op: 'reset' }, offered, defaults)).toEqual([{ id: 'd', size: 'wide' }]);
  });
});
