/**
 * The demo's chart: speed-up over the oversubscribed baseline, per workload
 * and mode, as a self-contained SVG.
 *
 * @internal
 * @module
 */
import { MODES } from './workloads.js';
import type { DemoMode } from './workloads.js';

const COLORS: Record<DemoMode, string> = {
  default: '#9aa0a6',
  'workers-1': '#5f6368',
  'promise-all': '#b07cc6',
  sequential: '#c9b458',
  'serial-inner': '#f2a93b',
  static: '#5b8def',
  composable: '#2e9e5b',
};

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** rows: one per workload, each mode's time in ms. */
export function chart(title: string, subtitle: string, rows: { label: string; ms: Partial<Record<DemoMode, number>> }[]): string {
  // Wide enough that each bar (one per mode) keeps room for its label.
  const width = Math.max(860, 80 + Math.ceil((rows.length * MODES.length * 14) / 0.8));
  const height = 420;
  const left = 60;
  const right = 20;
  const top = 70;
  const bottom = 95;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const speedups = rows.map((r) => MODES.map((m) => (r.ms.default && r.ms[m] ? r.ms.default / r.ms[m]! : 0)));
  const shown = speedups.flat().filter((v) => v > 0);
  // A log scale: an 11× and a 1.4× speed-up both stay readable.
  const high = Math.pow(2, Math.ceil(Math.log2(Math.max(2, ...shown) * 1.15)));
  const low = Math.pow(2, Math.floor(Math.log2(Math.min(0.5, ...shown))));
  const y = (v: number): number => top + plotH - (Math.log2(v / low) / Math.log2(high / low)) * plotH;
  const groupW = plotW / rows.length;
  const barW = (groupW * 0.8) / MODES.length;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="28" font-size="18" font-weight="bold">${escape(title)}</text>`,
    `<text x="${left}" y="48" font-size="12" fill="#555">${escape(subtitle)}</text>`,
  );
  for (let v = low; v <= high; v *= 2) {
    parts.push(
      `<line x1="${left}" y1="${y(v)}" x2="${width - right}" y2="${y(v)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#555">${v < 1 ? v : v.toFixed(0)}×</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${y(1)}" x2="${width - right}" y2="${y(1)}" stroke="#333" stroke-dasharray="4 3"/>`);
  rows.forEach((row, g) => {
    const x0 = left + g * groupW + groupW * 0.1;
    MODES.forEach((mode, k) => {
      const s = speedups[g]![k]!;
      if (!s) return;
      const x = x0 + k * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(s).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(y(low) - y(s)).toFixed(1)}" fill="${COLORS[mode]}"><title>${escape(`${row.label} — ${mode}: ${row.ms[mode]!.toFixed(0)} ms (${s.toFixed(2)}×)`)}</title></rect>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y(s) - 4).toFixed(1)}" font-size="10" text-anchor="middle">${s.toFixed(s < 10 ? 1 : 0)}</text>`,
      );
    });
    parts.push(`<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${top + plotH + 18}" font-size="12" text-anchor="middle">${escape(row.label)}</text>`);
  });
  parts.push(`<text x="16" y="${top + plotH / 2}" font-size="12" transform="rotate(-90 16 ${top + plotH / 2})" text-anchor="middle">speed-up over default (log scale)</text>`);
  MODES.forEach((mode, k) => {
    const x = left + k * Math.floor((width - left) / MODES.length);
    parts.push(
      `<rect x="${x}" y="${height - 40}" width="14" height="14" fill="${COLORS[mode]}"/>`,
      `<text x="${x + 20}" y="${height - 28}" font-size="12">${mode}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
