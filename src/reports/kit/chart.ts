// A report's chart, drawn on the server as SVG by ECharts (its server-side renderer: no browser,
// no canvas, no script on the page), so it shows without JavaScript, prints, and passes the CSP.
// Screen readers and printouts get the table beside it; the SVG carries a title for them too.
import * as echarts from 'echarts';

export type ChartSeries = { name: string; kind: 'bar' | 'line'; values: (number | null)[]; stack?: string };

export type ChartSpec = {
  /** what the chart shows, in the viewer's language (the SVG's accessible name) */
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** a horizontal bar chart (long category names: organisations, agents) */
  horizontal?: boolean;
  width?: number;
  height?: number;
};

/** What a chart draws, without how: the numbers of each series by category (for the table beside it). */
export type ChartData = { title: string; categories: string[]; series: { name: string; values: (number | null)[] }[] };

/** A report's chart as a dashboard widget, opening the report; without a spec (nothing to draw) the widget says it is empty. */
export function chartWidget(spec: Omit<ChartSpec, 'width' | 'height'> | null, href: string): { kind: 'chart'; svg: string | null; data: ChartData | null; href: string } {
  if (!spec) return { kind: 'chart', svg: null, data: null, href };
  const data = { title: spec.title, categories: spec.categories, series: spec.series.map((s) => ({ name: s.name, values: s.values })) };
  return { kind: 'chart', svg: renderChart({ ...spec, width: 560, height: 220 }), data, href };
}

/** A chart's numbers as a table in the viewer's language: a row per category, a column per series. */
export function chartTable(data: ChartData, locale: string) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    caption: data.title,
    headers: data.series.map((s) => s.name),
    rows: data.categories.map((category, i) => ({ category, cells: data.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? '—' : number.format(s.values[i]!))) })),
  };
}

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** The chart as an SVG element (text escaped by ECharts), with role="img" and its title. */
export function renderChart(spec: ChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? (spec.horizontal ? Math.max(160, 40 + spec.categories.length * 26) : 280);
  const chart = canvasOf(width, height);
  try {
    const categoryAxis = { type: 'category' as const, data: spec.categories, axisLabel: { hideOverlap: true, width: spec.horizontal ? 160 : undefined, overflow: 'truncate' as const } };
    const valueAxis = { type: 'value' as const, minInterval: 1 };
    // notMerge: nothing of the previous chart drawn on this instance stays
    chart.setOption({
      animation: false,
      color: PALETTE,
      aria: { enabled: true, label: { description: spec.title } },
      legend: { top: 0, data: spec.series.map((s) => s.name) },
      grid: { left: spec.horizontal ? 170 : 48, right: 16, top: 36, bottom: 28 },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: spec.series.map((s) => ({ name: s.name, type: s.kind, data: s.values, stack: s.stack, showSymbol: spec.categories.length <= 14, connectNulls: false })),
    }, true);
    return withoutInlineStyles(chart.renderToSVGString()).replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(spec.title)}" class="report-chart" `);
  } finally {
    chart.clear();
  }
}

// Making an ECharts instance costs about as much as drawing a chart: one is kept per size (a few
// sizes exist) and cleared after each drawing. Drawing is synchronous, so two never share one.
const canvases = new Map<string, echarts.ECharts>();
function canvasOf(width: number, height: number): echarts.ECharts {
  const key = `${width}x${height}`;
  let c = canvases.get(key);
  if (!c) {
    if (canvases.size >= 32) {
      for (const old of canvases.values()) old.dispose();
      canvases.clear();
    }
    c = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    canvases.set(key, c);
  }
  return c;
}

// The console's CSP allows no inline styles: the hover rules ECharts adds (a static chart has no
// use for them) go, and its text styles become SVG presentation attributes, which CSP allows.
function withoutInlineStyles(svg: string): string {
  return svg.replace(/<style\b[\s\S]*?<\/style>/g, '').replace(/ class="zr\d+-cls-\d+"/g, '').replace(/ style="([^"]*)"/g, (_m, css: string) =>
    css.split(';').map((d) => d.split(':').map((x) => x.trim())).filter(([k, v]) => k && v && /^[a-z-]+$/.test(k)).map(([k, v]) => ` ${k}="${v}"`).join(''));
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
