/**
 * The page's two live pictures, drawn on canvases: generated points over the ring's real
 * points, and both losses against the step.
 */

/** Draws real points in grey and generated points in blue on a square view of [-3, 3]². */
export function drawSamples(
  canvas: HTMLCanvasElement,
  real: Float32Array,
  fake: Float32Array,
): void {
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const size = canvas.width;
  const toPixel = (v: number) => ((v + 3) / 6) * size;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, size, size);
  const dots = (points: Float32Array, colour: string) => {
    g.fillStyle = colour;
    // points holds [x0, y0, x1, y1, …]; canvas y grows downwards, so y is flipped.
    for (let i = 0; i < points.length; i += 2) {
      g.fillRect(toPixel(points[i]) - 1.5, size - toPixel(points[i + 1]) - 1.5, 3, 3);
    }
  };
  dots(real, '#bbb');
  dots(fake, '#1f77b4');
}

/** Draws each series as a line against its index, on a shared y range with labelled ends. */
export function drawLosses(canvas: HTMLCanvasElement, series: Record<string, number[]>): void {
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const { width, height } = canvas;
  const colours = ['#1f77b4', '#d62728'];
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const values = Object.values(series).flat().filter(Number.isFinite);
  const n = Math.max(...Object.values(series).map((s) => s.length));
  if (values.length === 0 || n < 2) return;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const pad = { left: 40, right: 8, top: 8, bottom: 16 };
  const x = (i: number) => pad.left + (i / (n - 1)) * (width - pad.left - pad.right);
  const y = (v: number) =>
    height - pad.bottom - ((v - lo) / (hi - lo)) * (height - pad.top - pad.bottom);
  g.fillStyle = '#333';
  g.font = '11px sans-serif';
  g.fillText(hi.toFixed(2), 2, pad.top + 8);
  g.fillText(lo.toFixed(2), 2, height - pad.bottom);
  Object.entries(series).forEach(([name, points], k) => {
    g.strokeStyle = colours[k % colours.length];
    g.fillStyle = g.strokeStyle;
    g.beginPath();
    points.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
    g.stroke();
    g.fillText(name, width - 150 + 75 * k, height - 2);
  });
}
