import type { EpochMetrics } from './logistic-regression.js';

const width = 640;
const height = 360;
const margin = { top: 40, right: 130, bottom: 44, left: 60 };

/**
 * A self-contained SVG line chart of training and validation loss per epoch (no scripts, no
 * external references), for the run's artifacts.
 */
export function renderLossCurveSvg(history: EpochMetrics[], title: string): string {
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const epochs = history.map((h) => h.epoch);
  const losses = history.flatMap((h) => [h.trainLoss, h.valLoss]).filter(Number.isFinite);
  const minEpoch = Math.min(...epochs);
  const maxEpoch = Math.max(...epochs, minEpoch + 1);
  const low = Math.min(...losses, 0);
  const high = Math.max(...losses, low + 1e-9);
  const x = (epoch: number): number => margin.left + ((epoch - minEpoch) / (maxEpoch - minEpoch)) * plotW;
  const y = (loss: number): number => margin.top + (1 - (loss - low) / (high - low)) * plotH;
  const line = (pick: (h: EpochMetrics) => number): string =>
    history
      .filter((h) => Number.isFinite(pick(h)))
      .map((h) => `${x(h.epoch).toFixed(1)},${y(pick(h)).toFixed(1)}`)
      .join(' ');

  const yTicks = Array.from({ length: 5 }, (_, i) => low + ((high - low) * i) / 4);
  const xTicks = Array.from({ length: 5 }, (_, i) => Math.round(minEpoch + ((maxEpoch - minEpoch) * i) / 4));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...yTicks.map(
      (t) =>
        `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>` +
        `<text x="${margin.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(3)}</text>`,
    ),
    ...xTicks.map(
      (t) => `<text x="${x(t).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle">${t}</text>`,
    ),
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#374151"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#374151"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">log loss</text>`,
    `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${line((h) => h.trainLoss)}"/>`,
    `<polyline fill="none" stroke="#dc2626" stroke-width="2" stroke-dasharray="6 3" points="${line((h) => h.valLoss)}"/>`,
    legend(0, '#2563eb', 'train loss', ''),
    legend(1, '#dc2626', 'validation loss', '6 3'),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function legend(index: number, color: string, label: string, dash: string): string {
  const lx = width - margin.right + 16;
  const ly = margin.top + 12 + index * 20;
  const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
  return (
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dashAttr}/>` +
    `<text x="${lx + 30}" y="${ly + 4}">${label}</text>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
