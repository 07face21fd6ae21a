import { describe, expect, test } from 'vitest';
import { achievableSpanMs, boundOf, CASES, type BenchCase } from '../../bench/cases.js';

const pipeline24 = CASES.find((c) => c.id === 'pipeline-24')!;

describe('the benchmark bounds', () => {
  test('24 slides at c=4, prompts 200 ms and images 800 ms: 200 + 6 × 800 ms', () => {
    expect(boundOf(pipeline24, 49).ms).toBe(5000);
  });

  test('the achievable span lays the drawn image latencies on the first free of c places, after the quickest first prompt', () => {
    const c: BenchCase = { ...pipeline24, concurrency: 2 };
    const latencies = [
      { route: 'models', ms: 0 },
      { route: 'chat', ms: 210 },
      { route: 'chat', ms: 190 },
      { route: 'chat', ms: 100 }, // not in the first wave of c prompts
      ...[800, 700, 900, 600, 800].map((ms) => ({ route: 'images', ms })),
    ];
    // Places free at 190: 800 → 990, 700 → 890; 900 on the 890 place → 1790; 600 on 990 → 1590; 800 on 1590 → 2390.
    expect(achievableSpanMs(c, latencies)).toBe(2390);
  });

  test('no achievable span under an rpm limit, or without images', () => {
    const rpm = CASES.find((c) => c.rpm !== undefined)!;
    expect(
      achievableSpanMs(rpm, [
        { route: 'chat', ms: 200 },
        { route: 'images', ms: 800 },
      ]),
    ).toBeUndefined();
    expect(achievableSpanMs(pipeline24, [{ route: 'chat', ms: 200 }])).toBeUndefined();
  });
});
