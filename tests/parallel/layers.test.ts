import { describe, expect, it } from 'vitest';

import '../../src';
import { registeredLayerNames } from '../../src/layers/register';
import { LIBRARY_LAYERS } from '../../src/parallel/layers';

describe('LIBRARY_LAYERS', () => {
  it('names every layer class the library registers, so workers can rebuild any model', () => {
    const names = LIBRARY_LAYERS.map((layer) => layer.className);
    expect([...names].sort()).toEqual([...registeredLayerNames()].sort());
  });
});
