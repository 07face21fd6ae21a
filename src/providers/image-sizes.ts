// The pixel sizes the image API accepts, and which one fits a box best.

export const IMAGE_SIZES = ['1024x1024', '1792x1024', '1024x1792'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

/** The accepted size whose aspect is closest to the box's (compared on a log scale). */
export function chooseImageSize(aspect: number): ImageSize {
  let best: ImageSize = '1024x1024';
  let bestDist = Infinity;
  for (const size of IMAGE_SIZES) {
    const [w, h] = size.split('x').map(Number) as [number, number];
    const dist = Math.abs(Math.log(aspect) - Math.log(w / h));
    if (dist < bestDist) {
      bestDist = dist;
      best = size;
    }
  }
  return best;
}
