// Reads a horizontal bar chart drawn by the report kit (ECharts' SVG) back into what a person sees:
// its name, the legend, the category labels and each bar's length in the value axis' units.

export type ReadChart = { title: string; legend: string[]; categories: string[]; values: (number | null)[][] };

const unescape = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

/**
 * The chart named `title` in a page's HTML; throws when the page has none. A bar's length is read
 * to the nearest `step` (its ends stand on whole pixels: 1 px of a 60 000 axis is about 100).
 */
export function readBarChart(html: string, title: string, step = 1): ReadChart {
  const svg = [...html.matchAll(/<svg role="img" aria-label="([^"]*)" class="report-chart"[\s\S]*?<\/svg>/g)].find((m) => unescape(m[1]) === title)?.[0];
  if (!svg) throw new Error(`no chart "${title}" on the page`);
  const texts = (anchor: string) => [...svg.matchAll(new RegExp(`<text [^>]*text-anchor="${anchor}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => ({ tag: m[0], text: unescape(m[1]) }));
  // the value axis' ticks: their numbers and where they stand
  const ticks = texts('middle').map(({ tag, text }) => ({ v: Number(text.replace(/[\s,]/g, '')), x: Number(/translate\(([-\d.]+) /.exec(tag)![1]) })).filter((t) => Number.isFinite(t.v));
  const first = ticks[0];
  const last = ticks[ticks.length - 1];
  const perUnit = (last.x - first.x) / (last.v - first.v);
  const categories = texts('end').map((t) => t.text);
  const legend = texts('start').map((t) => t.text);
  const values = legend.map(() => categories.map((): number | null => null));
  for (const m of svg.matchAll(/<path d="M[-\d.]+ [-\d.]+l([-\d.]+) 0l[^"]*"[^>]*ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"/g)) {
    values[Number(m[2])][Number(m[3])] = Math.round(Number(m[1]) / perUnit / step) * step;
  }
  return { title, legend, categories, values };
}
