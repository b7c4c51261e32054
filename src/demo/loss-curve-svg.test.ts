import { describe, expect, it } from 'vitest';
import { renderLossCurveSvg } from './loss-curve-svg.js';

const history = Array.from({ length: 10 }, (_, i) => ({
  epoch: i + 1,
  trainLoss: 1 / (i + 1),
  valLoss: 1.2 / (i + 1),
  valAccuracy: 0.8,
  valF1: 0.8,
}));

describe('renderLossCurveSvg', () => {
  it('draws both curves with one point per epoch inside the canvas', () => {
    const svg = renderLossCurveSvg(history, 'lr=0.1');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) =>
      (m[1] as string).split(' '),
    );
    expect(lines).toHaveLength(2);
    for (const points of lines) {
      expect(points).toHaveLength(10);
      for (const point of points) {
        const [x, y] = point.split(',').map(Number) as [number, number];
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(640);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(360);
      }
    }
  });

  it('escapes the title and contains no script', () => {
    const svg = renderLossCurveSvg(history, '<script>alert(1)</script>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
  });
});
