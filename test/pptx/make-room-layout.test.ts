// The pure geometry of make-room: columns, the largest autofit that fits, the free part of the picture column.
import { describe, expect, it } from 'vitest';
import { clearColumn, largestFit, MAKE_ROOM, splitColumns } from '../../src/pptx/make-room-layout.js';

const body = { x: 457_200, y: 1_600_200, cx: 8_229_600, cy: 4_525_963 };

describe('make-room layout', () => {
  it('splits a body into a 58 % text column and a picture column 0.2 in away, on either side', () => {
    const right = splitColumns(body, 'right');
    expect(right.text).toEqual({ x: body.x, y: body.y, cx: 4_773_168, cy: body.cy });
    expect(right.picture).toEqual({ x: body.x + 4_773_168 + 182_880, y: body.y, cx: body.cx - 4_773_168 - 182_880, cy: body.cy });
    const left = splitColumns(body, 'left');
    expect(left.picture.x).toBe(body.x);
    expect(left.text.x + left.text.cx).toBe(body.x + body.cx);
    expect(left.picture.x + left.picture.cx + MAKE_ROOM.gap).toBe(left.text.x);
  });

  it('finds the largest font scale, then the smallest line-spacing reduction, at which text fits; none below 55 %', () => {
    // Text whose height falls with the square of the scale and linearly with the spacing.
    const measure = (h: number) => (f: { fontScale: number; lnSpcReduction: number }) =>
      h * f.fontScale * f.fontScale * (1 - f.lnSpcReduction);
    expect(largestFit(measure(90), 100)).toEqual({ fontScale: 1, lnSpcReduction: 0 });
    expect(largestFit(measure(105), 100)).toEqual({ fontScale: 1, lnSpcReduction: 0.1 });
    const fit = largestFit(measure(200), 100)!;
    expect(measure(200)(fit)).toBeLessThanOrEqual(100);
    expect(measure(200)({ fontScale: fit.fontScale + MAKE_ROOM.fontStep, lnSpcReduction: 0.2 })).toBeGreaterThan(100);
    expect(largestFit(measure(500), 100)).toBeUndefined();
    expect(largestFit(() => Number.POSITIVE_INFINITY, 100)).toBeUndefined();
  });

  it('moves the picture column below a rule at its top and cuts it above a footer', () => {
    const column = splitColumns(body, 'right').picture;
    const rule = { x: 609_600, y: 1_523_773, cx: 8_534_400, cy: 1_815 };
    const footer = { x: 6_553_200, y: 5_900_000, cx: 2_133_600, cy: 365_125 };
    const clear = clearColumn(column, [rule, footer], MAKE_ROOM.gap)!;
    expect(clear.y).toBe(rule.y + rule.cy + MAKE_ROOM.gap);
    expect(clear.y + clear.cy).toBe(footer.y - MAKE_ROOM.gap);
    expect(clear.x).toBe(column.x);
    // An obstacle beside the column, not over it, changes nothing.
    expect(clearColumn(column, [{ x: 0, y: 2_000_000, cx: 400_000, cy: 400_000 }], MAKE_ROOM.gap)).toEqual(column);
    // A column covered from top to bottom has no room left.
    expect(clearColumn(column, [{ ...column }], MAKE_ROOM.gap)).toBeUndefined();
  });
});
