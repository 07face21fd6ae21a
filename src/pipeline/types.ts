// What a run reports, per slide and per deck, and the events progress displays listen to.
import type { Box } from '../pptx/geometry.js';
import type { TokenUsage } from '../providers/types.js';

export type SlideStatus = 'illustrated' | 'skipped' | 'failed';

export interface SlideReport {
  number: number;
  status: SlideStatus;
  /** Why a slide was skipped or failed. */
  reason?: string;
  title: string;
  prompt?: string;
  /** Where the picture went, in EMU, and how. */
  box?: Box;
  placement?: 'free' | 'placeholder' | 'background';
  /** Milliseconds from the slide's first call to its fitted picture. */
  ms?: number;
  /** Bytes of the picture part added. */
  bytes?: number;
  cached?: { prompt: boolean; image: boolean };
}

export interface Usage extends TokenUsage {
  llmCalls: number;
  images: number;
}

export function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, llmCalls: 0, images: 0 };
}

export function addUsage(into: Usage, more: Partial<Usage>): void {
  into.promptTokens += more.promptTokens ?? 0;
  into.completionTokens += more.completionTokens ?? 0;
  into.llmCalls += more.llmCalls ?? 0;
  into.images += more.images ?? 0;
}

export type DeckStatus = 'ok' | 'partial' | 'failed' | 'refused' | 'unchanged';

export interface DeckReport {
  input: string;
  output: string | undefined;
  status: DeckStatus;
  error?: string;
  slides: SlideReport[];
  usage: Usage;
  warnings: string[];
  ms: number;
}

export type PipelineEvent =
  | { type: 'deck-start'; input: string; slides: number; planned: number }
  | { type: 'prompt-done'; input: string; slide: number; cached: boolean }
  | { type: 'image-done'; input: string; slide: number; cached: boolean }
  | { type: 'slide-done'; input: string; slide: SlideReport }
  | { type: 'deck-done'; report: DeckReport }
  | { type: 'warning'; input: string; message: string };

export function countSlides(report: Pick<DeckReport, 'slides'>): Record<SlideStatus, number> {
  const c = { illustrated: 0, skipped: 0, failed: 0 };
  for (const s of report.slides) c[s.status]++;
  return c;
}
