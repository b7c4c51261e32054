/**
 * Line colours of the charts: distinct hues that each reach 3:1 against white (WCAG's contrast for
 * graphics), so a line is visible whatever its neighbours.
 */
export const chartColours = [
  '#0a58b0',
  '#b3470d',
  '#17803d',
  '#a4237a',
  '#6b4fbb',
  '#8a6d00',
  '#00798a',
  '#c0263d',
] as const;

export function colourOf(index: number): string {
  return chartColours[index % chartColours.length]!;
}
