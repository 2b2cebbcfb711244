import { describe, expect, it } from 'vitest';
import { chartTable, chartWidget } from './chart.ts';

describe('a chart on a dashboard', () => {
  it('carries the numbers it draws, as a table in the viewer’s language: a row per category, a column per series', () => {
    const w = chartWidget({ title: 'Hours', categories: ['Anna', 'Boris'], series: [{ name: 'Billable', kind: 'bar', values: [1234.56, null] }, { name: 'Other', kind: 'bar', values: [0, 2] }] }, '/reports/time');
    expect(w.svg).toMatch(/^<svg role="img" aria-label="Hours"/);
    expect(chartTable(w.data!, 'en')).toEqual({ caption: 'Hours', headers: ['Billable', 'Other'], rows: [{ category: 'Anna', cells: ['1,234.6', '0'] }, { category: 'Boris', cells: ['—', '2'] }] });
    expect(chartTable(w.data!, 'ru').rows[0].cells[0]).toBe('1\u00a0234,6');
  });

  it('has no numbers when it has nothing to draw', () => {
    expect(chartWidget(null, '/reports/time')).toEqual({ kind: 'chart', svg: null, data: null, href: '/reports/time' });
  });
});
