/** Run colours for plots: distinct, each at least 3:1 against white (WCAG AA for graphics). */
export const runColours = [
  '#0a58b0',
  '#b3401a',
  '#1a7f37',
  '#8250df',
  '#9a6700',
  '#bf3989',
  '#0e7490',
  '#57606a',
];

export function runColour(index: number): string {
  return runColours[index % runColours.length]!;
}

/** A colour from low (blue) to high (orange) for a 0..1 position, for colouring by a metric. */
export function rampColour(position: number | undefined): string {
  if (position === undefined || !Number.isFinite(position)) return '#8c959f';
  const t = Math.min(1, Math.max(0, position));
  const from = [10, 88, 176];
  const to = [191, 64, 26];
  const mix = from.map((start, index) => Math.round(start + (to[index]! - start) * t));
  return `rgb(${mix.join(',')})`;
}
