// A grouped bar chart as a self-contained SVG, for bench/run.mjs.
const COLORS = ['#2e9e5b', '#5b8def', '#f2a93b', '#9aa0a6', '#c75d8a'];
const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const label = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * groups: [{ label, values: { series: number } }]; a value of 0 draws no bar.
 * reference: a dashed line at that value; log: a log10 axis.
 */
export function barChart({ title, groups, series, reference, log }) {
  const width = 900;
  const height = 420;
  const [left, right, top, bottom] = [70, 20, 60, 90];
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = groups.flatMap((g) => series.map((s) => g.values[s] ?? 0)).filter((v) => v > 0);
  const maxV = Math.max(...values, reference ?? 0);
  const minV = Math.min(...values, reference ?? Infinity);
  const low = log ? 10 ** Math.floor(Math.log10(Math.min(minV, 1) * 0.9)) : 0;
  const high = log ? 10 ** Math.ceil(Math.log10(maxV * 1.1)) : maxV * 1.15;
  const y = (v) => top + plotH - (log ? (Math.log10(v / low) / Math.log10(high / low)) * plotH : ((v - low) / (high - low)) * plotH);
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(high / low)) + 1 }, (_, i) => low * 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (high / 4) * i);
  const groupW = plotW / groups.length;
  const barW = (groupW * 0.8) / series.length;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="30" font-size="16" font-weight="bold">${escape(title)}</text>`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" y1="${y(t).toFixed(1)}" x2="${width - right}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 8}" y="${(y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#555">${label(t)}</text>`,
    );
  }
  if (reference !== undefined) {
    parts.push(`<line x1="${left}" y1="${y(reference).toFixed(1)}" x2="${width - right}" y2="${y(reference).toFixed(1)}" stroke="#333" stroke-dasharray="4 3"/>`);
  }
  groups.forEach((g, i) => {
    const x0 = left + i * groupW + groupW * 0.1;
    series.forEach((s, k) => {
      const v = g.values[s] ?? 0;
      if (!(v > 0)) return;
      const x = x0 + k * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(y(log ? low : 0) - y(v)).toFixed(1)}" fill="${COLORS[k % COLORS.length]}"><title>${escape(`${g.label} — ${s}: ${label(v)}`)}</title></rect>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" font-size="10" text-anchor="middle">${label(v)}</text>`,
      );
    });
    parts.push(`<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${top + plotH + 18}" font-size="11" text-anchor="middle">${escape(g.label)}</text>`);
  });
  series.forEach((s, k) => {
    const x = left + k * 170;
    parts.push(`<rect x="${x}" y="${height - 40}" width="14" height="14" fill="${COLORS[k % COLORS.length]}"/>`, `<text x="${x + 20}" y="${height - 28}" font-size="12">${escape(s)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
