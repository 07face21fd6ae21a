// What runs remember of the outputs they wrote: for each input deck, the fingerprint it had when its
// output was last written completely, and the settings it was written with, so a later run or pass
// can skip decks that did not change. The scheduled job keeps one state file in its output folder;
// a plain run keeps one record per output in the cache folder.
import { createHash } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../internal/atomic-write.js';
import { openRegularFile, readRegularFile } from '../internal/fs-safe.js';
import type { Config } from '../config/schema.js';
import type { DeckDirections } from '../model/directions.js';
import type { Providers } from '../providers/types.js';
import type { DeckJob } from './deck-jobs.js';
import type { DeckReport } from '../model/report.js';

/** The state file's name inside the output folder (a dot file: never taken for a deck). */
export const STATE_FILE = '.slide-illustrate-state.json';
const STATE_VERSION = 1;
/** Largest state file read (bytes): a few hundred bytes a deck, so room for 100 000 decks. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface DeckEntry {
  input: FileFingerprint;
  output: string;
  /** Size and mtime of the output we wrote: an output edited or deleted since is rebuilt. */
  outputSize: number;
  outputMtimeMs: number;
  /** Fingerprint of the settings that shape outputs (see configFingerprint in the schedule pass). */
  config: string;
}

export interface DeckCheck {
  unchanged: boolean;
  /** The input's fingerprint taken before the run, recorded if the run completes. */
  fingerprint: FileFingerprint | undefined;
}

export interface DeckProbe {
  /** The input's fingerprint now (undefined for what is not a regular file). */
  fingerprint: FileFingerprint | undefined;
  /** The settings fingerprint the output was last written with, when input and output are as that run left them. */
  config: string | undefined;
}

export interface DeckState {
  /** What the last complete run recorded for this deck, if its input and output have not changed since. */
  probe(job: DeckJob): Promise<DeckProbe>;
  /** Whether the job's deck and output are as the last complete run with these settings left them. */
  check(job: DeckJob, config: string): Promise<DeckCheck>;
  /** Records a finished deck: a complete one becomes skippable; any other is retried next pass. */
  record(job: DeckJob, check: DeckCheck, report: DeckReport, config: string): Promise<void>;
}

// Opens the state file (missing or unreadable means "nothing done yet").
export async function openDeckState(file: string): Promise<DeckState> {
  const decks = await readEntries(file);
  // Writes are chained so concurrent decks never interleave two renames of the same file.
  let saving: Promise<void> = Promise.resolve();
  const save = () =>
    (saving = saving.catch(() => undefined).then(() => writeFileAtomic(file, JSON.stringify({ version: STATE_VERSION, decks }, null, 1))));
  return stateOver({
    get: async (job) => decks[job.input],
    set: async (job, entry) => {
      if (entry) decks[job.input] = entry;
      else delete decks[job.input];
      await save();
    },
  });
}

/**
 * What a plain run remembers of the outputs it wrote: one small record per output, kept in the
 * cache folder (`outputs/`, named by a hash of the output's path) rather than beside the user's
 * decks, so concurrent runs never share a file and nothing is added to the output folder.
 */
export async function openOutputRecords(dir: string): Promise<DeckState> {
  const fileOf = (job: DeckJob) => path.join(dir, `${createHash('sha256').update(job.output).digest('hex').slice(0, 32)}.json`);
  return stateOver({
    async get(job) {
      const entries = await readEntries(fileOf(job));
      return entries[job.input];
    },
    async set(job, entry) {
      if (!entry) return rm(fileOf(job), { force: true });
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(fileOf(job), JSON.stringify({ version: STATE_VERSION, decks: { [job.input]: entry } }));
    },
  });
}

/**
 * What a deck's output is made of besides the deck: bump when the planner or the writer would now
 * write a different deck from the same input and settings, so recorded outputs are rebuilt.
 */
export const OUTPUT_FORMAT = 'slide-illustrate-output-2';

/** Everything that shapes outputs besides the decks: a change re-runs every deck (the cache keeps it cheap). */
export function configFingerprint(config: Config, backend: { kind: string }, providers: Providers): string {
  const shaping = {
    format: OUTPUT_FORMAT,
    llm: config.llm,
    image: config.image,
    placement: config.placement,
    // Only when set: the fingerprints of configs without it stay as they were.
    ...(config.variants !== 1 && { variants: config.variants }),
    provider: backend.kind,
    prompt: providers.prompt.promptFingerprint,
    art: providers.image.imageFingerprint,
  };
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex');
}

/** What a run's flags say that shapes every deck's output (--slides, --variants, --style, --image-style). */
export interface RunShaping {
  slides?: readonly number[] | undefined;
  variants?: number | undefined;
  style?: string | undefined;
  imageStyle?: string | undefined;
}

// One deck's settings fingerprint: the config's, with the deck's directions file and the run's
// shaping flags when there are any (an edited directions file, a variant chosen, re-runs the deck).
// Without either it is the config's, so decks without directions keep their records.
export function deckFingerprint(config: string, directions: DeckDirections | undefined, run: RunShaping = {}): string {
  const flags = Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined));
  if (!directions && !Object.keys(flags).length) return config;
  return createHash('sha256').update(JSON.stringify({ config, directions, flags })).digest('hex');
}

/** sha256 of a regular file, hex, streamed so large decks are not read into memory at once. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const { handle } = await openRegularFile(file);
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

// --- internal ---

interface EntryStore {
  get(job: DeckJob): Promise<DeckEntry | undefined>;
  set(job: DeckJob, entry: DeckEntry | undefined): Promise<void>;
}

function stateOver(store: EntryStore): DeckState {
  const probe = async (job: DeckJob): Promise<DeckProbe> => {
    const entry = await store.get(job);
    const now = await stat(job.input).catch(() => undefined);
    // Not a regular file (a FIFO, a device): never hashed, the run refuses it as a deck.
    if (!now?.isFile()) return { fingerprint: undefined, config: undefined };
    const cheap = { size: now.size, mtimeMs: now.mtimeMs };
    const outputOk = entry && entry.output === job.output && (await sameFile(job.output, entry));
    if (outputOk && cheap.size === entry.input.size && cheap.mtimeMs === entry.input.mtimeMs)
      return { fingerprint: entry.input, config: entry.config };
    // Size or mtime moved (or no usable entry): the content hash decides; a touched but identical deck is still unchanged.
    const fingerprint = { ...cheap, sha256: await sha256File(job.input) };
    if (outputOk && fingerprint.sha256 === entry.input.sha256) {
      await store.set(job, { ...entry, input: fingerprint });
      return { fingerprint, config: entry.config };
    }
    return { fingerprint, config: undefined };
  };
  return {
    probe,
    async check(job, config) {
      const { fingerprint, config: recorded } = await probe(job);
      return { unchanged: recorded !== undefined && recorded === config, fingerprint };
    },
    async record(job, check, report, config) {
      const out = report.status === 'ok' && report.output ? await stat(report.output).catch(() => undefined) : undefined;
      const entry =
        out && check.fingerprint
          ? { input: check.fingerprint, output: job.output, outputSize: out.size, outputMtimeMs: out.mtimeMs, config }
          : undefined;
      await store.set(job, entry);
    },
  };
}

async function readEntries(file: string): Promise<Record<string, DeckEntry>> {
  try {
    const parsed = JSON.parse((await readRegularFile(file, { maxBytes: MAX_STATE_BYTES })).toString('utf8')) as {
      version?: unknown;
      decks?: unknown;
    };
    if (parsed.version === STATE_VERSION && typeof parsed.decks === 'object' && parsed.decks !== null)
      return parsed.decks as Record<string, DeckEntry>;
  } catch {
    // Missing, damaged or not a regular file: every deck is simply run again, and the cache keeps that cheap.
  }
  return {};
}

async function sameFile(file: string, entry: DeckEntry): Promise<boolean> {
  const s = await stat(file).catch(() => undefined);
  return !!s && s.isFile() && s.size === entry.outputSize && s.mtimeMs === entry.outputMtimeMs;
}
