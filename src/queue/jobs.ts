// What goes into Redis: job ids (content hashes, so submitting the same decks twice adds no work)
// and job data (plan entries, paths and cache keys; never picture bytes, never a token).
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { SlidePlan } from '../model/run-plan.js';
import type { ProviderKind } from '../providers/create-providers.js';

export const SLIDES_QUEUE = 'slides';
export const DECKS_QUEUE = 'decks';

/** What a worker needs to rebuild the run's providers: the config (no queue key, no secret) and the backend. */
export interface RunSettings {
  config: Omit<Config, 'queue'>;
  provider: ProviderKind | undefined;
}

export interface DeckJobData {
  runId: string;
  input: string;
  output: string;
  /** The deck's bytes at submit: a deck changed since is not written from a stale plan. */
  deckSha256: string;
  planned: number;
  settings: RunSettings;
}

export interface SlideJobData {
  runId: string;
  deckJobId: string;
  input: string;
  palette: string[];
  /** The plan's entry for the slide, without what only the report draws. */
  slide: SlidePlan;
  settings: RunSettings;
}

/** A slide job's answer: provider failures are answers (the deck becomes partial), not job failures. */
export interface SlideResult {
  number: number;
  status: 'illustrated' | 'failed' | 'skipped';
  reason?: string;
  cached: { prompt: boolean; image: boolean };
}

/** A deck job's answer: the deck's status as a local run reports it. */
export interface DeckResult {
  input: string;
  output: string | null;
  status: 'ok' | 'partial' | 'failed' | 'refused' | 'unchanged';
  error?: string;
  illustrated: number;
  failed: number;
  warnings: string[];
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The settings' fingerprint: part of every deck job id, and the key workers cache providers under. */
export function settingsFingerprint(settings: RunSettings): string {
  return sha256(JSON.stringify(settings)).slice(0, 32);
}

/** Same deck bytes, same output, same settings: same job. No ':' and not all digits (BullMQ's rules). */
export function deckJobId(deckSha256: string, output: string, settingsFp: string): string {
  return `deck-${sha256(`${deckSha256}\n${output}\n${settingsFp}`).slice(0, 32)}`;
}

/** A child id belongs to one parent (BullMQ refuses to re-parent it), so it carries its deck's id. */
export function slideJobId(deckJobId: string, slideNumber: number): string {
  return `${deckJobId}-s${slideNumber}`;
}

/** The slide entry as the job carries it: what the slide job and the deck job need, not the planner's drawing. */
export function slideForJob(slide: SlidePlan): SlidePlan {
  const { obstacles: _drawn, ...rest } = slide;
  return rest;
}

/** What the workers' calls generated for a deck (cache hits not counted): calls, pictures and tokens. */
export interface Generated {
  prompts: number;
  images: number;
  pictures: number;
  promptTokens: number;
  completionTokens: number;
}

/** The fields of a deck job's pay counters (the hash at `keys.generated`). */
export const GENERATED_FIELDS = [
  'prompts',
  'images',
  'pictures',
  'promptTokens',
  'completionTokens',
] as const satisfies readonly (keyof Generated)[];

export function noneGenerated(): Generated {
  return { prompts: 0, images: 0, pictures: 0, promptTokens: 0, completionTokens: 0 };
}

/** Keys of the run records and pay counters, under the queue prefix. */
export const keys = {
  run: (prefix: string, runId: string) => `${prefix}:run:${runId}`,
  runs: (prefix: string) => `${prefix}:runs`,
  generated: (prefix: string, deckJobId: string) => `${prefix}:generated:${deckJobId}`,
};

/** A run id: sortable by time, unique enough across machines. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${sha256(`${process.pid}${Math.random()}${now.getTime()}`).slice(0, 6)}`;
}
