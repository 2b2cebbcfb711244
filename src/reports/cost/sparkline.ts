// A row of figures as a small line drawn on the server (inline SVG, no script, no inline style), its
// figures in words for screen readers; a month without a figure breaks the line.
const W = 96;
const H = 24;
const PAD = 2;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `label`: what the figures are, read out in their place ("Margin: Jun 2026 RUB 1,000; …"). */
export function sparkline(values: readonly (number | null)[], label: string): string {
  const known = values.filter((v): v is number => v !== null);
  const lo = Math.min(0, ...known);
  const hi = Math.max(0, ...known);
  const x = (i: number) => PAD + (values.length > 1 ? (i * (W - 2 * PAD)) / (values.length - 1) : (W - 2 * PAD) / 2);
  const y = (v: number) => (hi === lo ? H / 2 : PAD + ((hi - v) * (H - 2 * PAD)) / (hi - lo));
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) runs.push([]);
    else runs[runs.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  const lines = runs.filter((r) => r.length > 0).map((r) => (r.length === 1 ? `<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="1.5" fill="currentColor"/>`
    : `<polyline points="${r.join(' ')}" fill="none" stroke="currentColor" stroke-width="1.5"/>`));
  const zero = `<line x1="0" x2="${W}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#98a2b3" stroke-width="0.5"/>`;
  return `<svg role="img" aria-label="${escapeAttr(label)}" class="sparkline" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${zero}${lines.join('')}</svg>`;
}
