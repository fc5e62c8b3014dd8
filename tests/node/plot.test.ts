import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lossPlotSvg, niceTicks, writeLossPlot } from '../../src/node/plot';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-plot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The `points` attribute of every polyline, in order. */
const polylines = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((match) => match[1]);

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2 or 5 times a power of ten', () => {
    // (3 − 1) / 5 = 0.4 per interval; the first of 0.1, 0.2, 0.5 not below it is 0.5, and
    // the ticks run from floor(1 / 0.5) · 0.5 = 1 to ceil(3 / 0.5) · 0.5 = 3.
    expect(niceTicks(1, 3)).toEqual([1, 1.5, 2, 2.5, 3]);
    // (7.5 − 0) / 5 = 1.5 → step 2, from 0 to ceil(7.5 / 2) · 2 = 8.
    expect(niceTicks(0, 7.5)).toEqual([0, 2, 4, 6, 8]);
  });

  it('widens an empty range by one on each side', () => {
    // [4, 4] becomes [3, 5]: 2 / 5 = 0.4 → step 0.5.
    expect(niceTicks(4, 4)).toEqual([3, 3.5, 4, 4.5, 5]);
  });

  it('never steps by less than 1 with integers', () => {
    // (2 − 1) / 5 = 0.2 → 0.2, raised to 1.
    expect(niceTicks(1, 2, 5, true)).toEqual([1, 2]);
  });
});

describe('lossPlotSvg', () => {
  it('draws a tiny pair of series exactly', () => {
    // Plot area: x from the left margin 56 to 200 − 12 = 188, y from 28 to 120 − 48 = 72.
    // Steps 1..2 map to x 56..188. Finite values 1, 3, 2 give y ticks 1, 1.5, …, 3 (see
    // niceTicks), so y = 72 − (v − 1) / 2 · 44: v 1 → 72, 1.5 → 61, 2 → 50, 2.5 → 39, 3 → 28.
    // x tick labels sit 16 below the axis, at 88. 'd' is one line 56,72 → 188,28; 'g' is
    // finite at step 1 only: a dot at 56,50. The legend row is at y 120 − 10 = 110, swatches
    // 4 higher: 'd' at x 56, the next entry 20 + 7 · 1 + 16 = 43 further, at 99.
    const expected = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120" ' +
        'font-family="sans-serif" font-size="11">',
      '<rect width="200" height="120" fill="#fff"/>',
      '<line x1="56" y1="72" x2="188" y2="72" stroke="#e5e5e5"/>',
      '<text x="50" y="72" text-anchor="end" dy="4">1</text>',
      '<line x1="56" y1="61" x2="188" y2="61" stroke="#e5e5e5"/>',
      '<text x="50" y="61" text-anchor="end" dy="4">1.5</text>',
      '<line x1="56" y1="50" x2="188" y2="50" stroke="#e5e5e5"/>',
      '<text x="50" y="50" text-anchor="end" dy="4">2</text>',
      '<line x1="56" y1="39" x2="188" y2="39" stroke="#e5e5e5"/>',
      '<text x="50" y="39" text-anchor="end" dy="4">2.5</text>',
      '<line x1="56" y1="28" x2="188" y2="28" stroke="#e5e5e5"/>',
      '<text x="50" y="28" text-anchor="end" dy="4">3</text>',
      '<text x="56" y="88" text-anchor="middle">1</text>',
      '<text x="188" y="88" text-anchor="middle">2</text>',
      '<path d="M56 28V72H188" fill="none" stroke="#333"/>',
      '<polyline points="56,72 188,28" fill="none" stroke="#1f77b4" stroke-width="1.5"/>',
      '<line x1="56" y1="106" x2="72" y2="106" stroke="#1f77b4" stroke-width="3"/>',
      '<text x="76" y="110">d</text>',
      '<circle cx="56" cy="50" r="2" fill="#d62728"/>',
      '<line x1="99" y1="106" x2="115" y2="106" stroke="#d62728" stroke-width="3"/>',
      '<text x="119" y="110">g</text>',
      '<text x="188" y="110" text-anchor="end">step</text>',
      '</svg>',
      '',
    ].join('\n');
    const svg = lossPlotSvg({ d: [1, 3], g: [2, NaN] }, { width: 200, height: 120 });
    expect(svg).toBe(expected);
  });

  it('puts an escaped title on top', () => {
    const svg = lossPlotSvg({ a: [1, 2] }, { title: 'D & G <loss>', width: 200, height: 120 });
    expect(svg).toContain(
      '<text x="100" y="16" text-anchor="middle" font-size="13">D &amp; G &lt;loss&gt;</text>',
    );
  });

  it('takes x from the rows and draws their number fields', () => {
    const rows = [
      { step: 10, discriminatorLoss: 1, generatorLoss: 3, warnings: [] },
      { step: 20, discriminatorLoss: 3, generatorLoss: 1, warnings: [] },
    ];
    // Steps 10..20 map to x 56..188; values 1..3 map to y 72..28 as above.
    const svg = lossPlotSvg(rows, { width: 200, height: 120 });
    expect(polylines(svg)).toEqual(['56,72 188,28', '56,28 188,72']);
    expect(svg).toContain('>discriminatorLoss</text>');
    expect(svg).not.toContain('>warnings</text>');
    // Only the keys asked for.
    expect(
      polylines(lossPlotSvg(rows, { width: 200, height: 120, keys: ['generatorLoss'] })),
    ).toEqual(['56,28 188,72']);
  });

  it('smooths with an exponential moving average', () => {
    // s = 0.5 on [0, 10, 10]: 0, 0.5·0 + 0.5·10 = 5, 0.5·5 + 0.5·10 = 7.5. Ticks 0..8 by 2,
    // so y = 72 − v / 8 · 44 = 72 − 5.5v: 72, 44.5, 30.75; steps 1..3 map to x 56, 122, 188.
    const svg = lossPlotSvg({ a: [0, 10, 10] }, { width: 200, height: 120, smoothing: 0.5 });
    expect(polylines(svg)).toEqual(['56,72 122,44.5 188,30.75']);
  });

  it('breaks a line at non-finite values', () => {
    // [1, NaN, 3, 2]: runs {step 1} (a dot) and {steps 3, 4}; x = 56 + (step − 1) · 44.
    // Ticks 1..3, y = 72 − (v − 1) · 22: 1 → 72, 3 → 28, 2 → 50.
    const svg = lossPlotSvg({ a: [1, NaN, 3, 2] }, { width: 200, height: 120 });
    expect(polylines(svg)).toEqual(['144,28 188,50']);
    expect(svg).toContain('<circle cx="56" cy="72" r="2" fill="#1f77b4"/>');
  });

  it('averages runs of steps down to maxPoints', () => {
    // [1, 2, 3, 4] in 2 runs: steps 1–2 → (1.5, mean 1.5), steps 3–4 → (3.5, mean 3.5).
    // x 1.5..3.5 maps to 56..188; ticks 1.5..3.5 by 0.5 put 1.5 at 72 and 3.5 at 28.
    const svg = lossPlotSvg({ a: [1, 2, 3, 4] }, { width: 200, height: 120, maxPoints: 2 });
    expect(polylines(svg)).toEqual(['56,72 188,28']);
  });

  it('rejects bad series and options with a clear message', () => {
    expectThrows(
      () => lossPlotSvg({}),
      RangeError,
      'lossPlotSvg: series must name at least one series.',
    );
    expectThrows(
      () => lossPlotSvg({ d: [1, 2], g: [1] }),
      RangeError,
      "lossPlotSvg: every series must have the same length, got 2 ('d') and 1 ('g').",
    );
    expectThrows(() => lossPlotSvg({ d: [] }), RangeError, "lossPlotSvg: series 'd' is empty.");
    expectThrows(
      () => lossPlotSvg({ d: ['1'] as unknown as number[] }),
      TypeError,
      "lossPlotSvg: series 'd' must be an array of numbers, got ['1'].",
    );
    expectThrows(
      () => lossPlotSvg([{ step: 1, a: 1 }, { step: 2 }]),
      TypeError,
      'lossPlotSvg: rows[1].a must be a number, got undefined.',
    );
    expectThrows(
      () => lossPlotSvg({ a: [1] }, { smoothing: 1 }),
      RangeError,
      'lossPlotSvg: options.smoothing must be in [0, 0.999], got 1.',
    );
    expectThrows(
      () => lossPlotSvg({ a: [1] }, { colour: 'red' } as never),
      RangeError,
      "lossPlotSvg: option 'colour' is not supported; the supported options are 'title', " +
        "'width', 'height', 'keys', 'smoothing', 'maxPoints'.",
    );
  });
});

describe('writeLossPlot', () => {
  it('writes the SVG atomically, creating the folder, and leaves no temporary file', async () => {
    const path = join(dir, 'nested', 'losses.svg');
    const series = { discriminator: [1.4, 1.2, 1.3], generator: [0.7, 0.9, 0.8] };
    await writeLossPlot(path, series, { title: 'losses' });
    expect(await readFile(path, 'utf8')).toBe(lossPlotSvg(series, { title: 'losses' }));
    expect(await readdir(join(dir, 'nested'))).toEqual(['losses.svg']);
  });

  it('rejects an empty path', async () => {
    await expectRejects(
      writeLossPlot('', { a: [1] }),
      TypeError,
      "writeLossPlot: path must be a non-empty string, got ''.",
    );
  });
});
