/** The response cache's frequency sketch: estimates never below the true count, halved as counts age. */
import { describe, expect, it } from 'vitest';
import { FrequencySketch } from './frequency-sketch.js';

describe('FrequencySketch', () => {
  it('estimates each key at least its count, and close to it when keys are few', () => {
    const sketch = new FrequencySketch(4_096);
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      const key = `con_${i % 500}|employees|`;
      const times = 1 + (i % 7 === 0 ? 1 : 0);
      for (let t = 0; t < times; t++) sketch.increment(key);
      counts.set(key, (counts.get(key) ?? 0) + times);
    }
    let over = 0;
    for (const [key, n] of counts) {
      const e = sketch.estimate(key);
      expect(e).toBeGreaterThanOrEqual(n);
      over += e - n;
    }
    expect(over / counts.size).toBeLessThan(0.5);
    expect(sketch.estimate('never asked for')).toBe(0);
  });

  it('halves every count after 10 × width additions, so old popularity fades', () => {
    const sketch = new FrequencySketch(1_024);
    for (let i = 0; i < 40; i++) sketch.increment('old');
    expect(sketch.estimate('old')).toBe(40);
    for (let i = 0; i < 10 * 1_024; i++) sketch.increment(`k${i % 100}`);
    expect(sketch.estimate('old')).toBeLessThanOrEqual(20);
    expect(sketch.estimate('old')).toBeGreaterThanOrEqual(10);
  });
});
