// The report's thumbnails, made from the run's `picture` events as pictures are fitted, and put
// on the slide reports once the run is done. The run itself knows nothing of the report.
import pLimit from 'p-limit';
import type { BatchReport, PipelineEvent } from '../model/report.js';
import { makeThumbnail } from './thumbnail.js';

/** Thumbnails made at once: they share the machine with the run's own fitting. */
const THUMB_CONCURRENCY = 2;

export interface ThumbnailCollector {
  /** Pass every event of the run here (it keeps only `picture` events' thumbnails). */
  onEvent(event: PipelineEvent): void;
  /** Waits for the thumbnails still being made and sets each illustrated slide's `thumbnail`. */
  attach(batch: BatchReport): Promise<void>;
}

export function collectThumbnails(): ThumbnailCollector {
  const limit = pLimit(THUMB_CONCURRENCY);
  const made = new Map<string, Promise<string | undefined>>();
  const keyOf = (input: string, slide: number) => `${slide}\u0000${input}`;
  return {
    onEvent(event) {
      if (event.type !== 'picture') return;
      // A thumbnail that cannot be made only leaves the report without a preview.
      made.set(
        keyOf(event.input, event.slide),
        limit(() => makeThumbnail(event.data, event.box).catch(() => undefined)),
      );
    },
    async attach(batch) {
      for (const deck of batch.decks) {
        for (const slide of deck.slides) {
          const thumbnail = slide.status === 'illustrated' ? await made.get(keyOf(deck.input, slide.number)) : undefined;
          if (thumbnail) slide.thumbnail = thumbnail;
        }
      }
      made.clear();
    },
  };
}
