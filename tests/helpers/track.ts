import { afterEach } from 'vitest';

const disposables: { dispose(): void }[] = [];

afterEach(() => {
  for (const d of disposables.splice(0)) d.dispose();
});

/** Registers `value` to be disposed after the current test; returns it. */
export function track<T extends { dispose(): void }>(value: T): T {
  disposables.push(value);
  return value;
}
