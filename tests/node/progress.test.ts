import { describe, expect, it } from 'vitest';

import { formatDuration, ProgressBar } from '../../src/node/progress';
import { expectThrows } from '../helpers/fixtures/throws';

/** A stream that records what is written; `isTTY` decides bar or plain lines. */
function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write(chunk: string) {
      chunks.push(String(chunk));
      return true;
    },
  } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  return { stream, text: () => chunks.join('') };
}

/** A clock that the test moves by hand, in milliseconds. */
function manualClock() {
  let now = 0;
  return { clock: () => now, set: (ms: number) => (now = ms) };
}

describe('ProgressBar', () => {
  it('prints a plain line every logEvery steps and at the end when not on a terminal', () => {
    const { stream, text } = recorder(false);
    const time = manualClock();
    const progress = new ProgressBar({ total: 10, logEvery: 4, stream, clock: time.clock });
    for (let step = 1; step <= 10; step++) {
      time.set(step * 500); // 500 ms a step → 2 steps/s
      progress.update(step, { d: 0.693147, g: 12 });
    }
    progress.stop();
    // Lines at steps 4 and 8 (4 since the last line) and 10 (the total).
    // Values to 4 significant digits: 0.693147 → 0.6931, 12 → 12.00.
    // Rate at step s: s / (s · 0.5 s) = 2 steps/s → '2.00'. ETA: (10 − s) / 2 s:
    // (10 − 4)/2 = 3 s → 0:03; (10 − 8)/2 = 1 s → 0:01; 0 s → 0:00.
    expect(text()).toBe(
      'step 4/10 | d=0.6931 g=12.00 | 2.00 steps/s | ETA 0:03\n' +
        'step 8/10 | d=0.6931 g=12.00 | 2.00 steps/s | ETA 0:01\n' +
        'step 10/10 | d=0.6931 g=12.00 | 2.00 steps/s | ETA 0:00\n',
    );
  });

  it('prints the last unprinted line on stop', () => {
    const { stream, text } = recorder(false);
    const time = manualClock();
    const progress = new ProgressBar({ total: 1000, stream, clock: time.clock });
    time.set(4000);
    progress.update(3, { loss: 1.23456 });
    progress.stop();
    progress.stop(); // a second stop prints nothing more
    // 3 steps in 4 s = 0.75 steps/s; ETA (1000 − 3) / 0.75 = 1329.33 s → 1330 s = 22 min 10 s.
    // 1.23456 to 4 significant digits is 1.235.
    expect(text()).toBe('step 3/1000 | loss=1.235 | 0.750 steps/s | ETA 22:10\n');
  });

  it('measures the rate from the initial step when resuming', () => {
    const { stream, text } = recorder(false);
    const time = manualClock();
    const progress = new ProgressBar({
      total: 200,
      initialStep: 100,
      logEvery: 50,
      stream,
      clock: time.clock,
    });
    time.set(10_000);
    progress.update(150);
    // (150 − 100) steps / 10 s = 5.00 steps/s; ETA (200 − 150) / 5 = 10 s → 0:10; no values.
    expect(text()).toBe('step 150/200 | 5.00 steps/s | ETA 0:10\n');
    progress.stop();
  });

  it('draws a bar with the step, values, rate and ETA on a terminal', () => {
    const { stream, text } = recorder(true);
    const time = manualClock();
    const progress = new ProgressBar({ total: 10, stream, clock: time.clock });
    time.set(2500);
    progress.update(5, { 'D loss': 0.5 });
    progress.stop();
    // 5 steps in 2.5 s = 2.00 steps/s; ETA (10 − 5) / 2 = 2.5 s, rounded up to 0:03.
    expect(text()).toContain('5/10 | D loss=0.5000 | 2.00 steps/s | ETA 0:03');
  });

  it('rejects bad arguments with exact messages', () => {
    const { stream } = recorder(false);
    expectThrows(
      () => new ProgressBar({ total: 0, stream }),
      RangeError,
      'ProgressBar: options.total must be an integer >= 1, got 0.',
    );
    const progress = new ProgressBar({ total: 10, stream });
    expectThrows(
      () => progress.update(11),
      RangeError,
      'ProgressBar.update: step must be an integer in [0, 10], got 11.',
    );
    expectThrows(
      () => progress.update(1, { d: '0.5' as unknown as number }),
      TypeError,
      "ProgressBar.update: values.d must be a number, got '0.5'.",
    );
    progress.stop();
    expectThrows(
      () => progress.update(2),
      Error,
      'ProgressBar.update: the progress bar is stopped.',
    );
  });
});

describe('formatDuration', () => {
  it('writes m:ss or h:mm:ss, rounding seconds up', () => {
    // 3725 s = 1 h (3600) + 2 min (120) + 5 s.
    expect(formatDuration(3725)).toBe('1:02:05');
    // 59.2 s rounds up to 60 s = 1 min.
    expect(formatDuration(59.2)).toBe('1:00');
    expect(formatDuration(NaN)).toBe('--:--');
  });
});
