// What the scheduled job remembers between passes: for each input deck, the fingerprint it had
// when its output was last written completely, so a later pass can skip decks that did not change.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { writeFileAtomic } from '../internal/atomic-write.js';
import { openRegularFile, readRegularFile } from '../internal/fs-safe.js';
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

export interface DeckState {
  /** Whether the job's deck and output are as the last complete run left them. */
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
  return {
    async check(job, config) {
      const entry = decks[job.input];
      const now = await stat(job.input).catch(() => undefined);
      // Not a regular file (a FIFO, a device): never hashed, the run refuses it as a deck.
      if (!now?.isFile()) return { unchanged: false, fingerprint: undefined };
      const cheap = { size: now.size, mtimeMs: now.mtimeMs };
      const outputOk = entry && entry.config === config && entry.output === job.output && (await sameFile(job.output, entry));
      if (outputOk && cheap.size === entry.input.size && cheap.mtimeMs === entry.input.mtimeMs)
        return { unchanged: true, fingerprint: entry.input };
      // Size or mtime moved (or no usable entry): the content hash decides; a touched but identical deck is still unchanged.
      const fingerprint = { ...cheap, sha256: await sha256File(job.input) };
      if (outputOk && fingerprint.sha256 === entry.input.sha256) {
        entry.input = fingerprint;
        await save();
        return { unchanged: true, fingerprint };
      }
      return { unchanged: false, fingerprint };
    },
    async record(job, check, report, config) {
      const out = report.status === 'ok' && report.output ? await stat(report.output).catch(() => undefined) : undefined;
      if (out && check.fingerprint)
        decks[job.input] = { input: check.fingerprint, output: job.output, outputSize: out.size, outputMtimeMs: out.mtimeMs, config };
      else delete decks[job.input];
      await save();
    },
  };
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
