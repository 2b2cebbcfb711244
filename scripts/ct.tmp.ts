import { renderChart } from '../src/reports/kit/chart.ts';
const cats = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
const spec = { title: 'x', categories: cats, series: [{ name: 'a', kind: 'bar' as const, values: cats.map((_, i) => i) }, { name: 'b', kind: 'bar' as const, values: cats.map((_, i) => i) }, { name: 'c', kind: 'line' as const, values: cats.map((_, i) => i * 2) }] };
for (let i = 0; i < 5; i++) renderChart(spec);
const t = performance.now(); for (let i = 0; i < 50; i++) renderChart(spec); console.log(((performance.now() - t) / 50).toFixed(1), 'ms per chart');
