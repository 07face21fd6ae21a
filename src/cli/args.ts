// The command line, as a yargs parser that can be tested without running anything.
import yargs, { type Argv } from 'yargs';
import { parseDuration } from '../internal/duration.js';
import { PROVIDER_KINDS, type ProviderKind } from '../providers/create-providers.js';

/** Flags every command takes. */
export interface CommonArgs {
  config: string | undefined;
  debug: boolean;
  json: boolean;
  cacheDir: string | undefined;
}

/** Flags of the commands that illustrate decks (a run and the schedule). */
export interface RunArgs extends CommonArgs {
  provider: ProviderKind | undefined;
  concurrency: number | undefined;
  force: boolean;
}

export interface IllustrateArgs extends RunArgs {
  command: 'illustrate';
  inputs: string[];
  out: string | undefined;
}

export interface ScheduleArgs extends RunArgs {
  command: 'schedule';
  once: boolean;
}

export interface CacheArgs extends CommonArgs {
  command: 'cache';
  /** Milliseconds: entries unused for longer are removed. */
  pruneOlderThanMs: number | undefined;
}

export type CliArgs = IllustrateArgs | ScheduleArgs | CacheArgs;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (default: ./pipeline.config.json when present)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces and request details (never the token)' });
}

function runOptions<T>(y: Argv<T>) {
  return y
    .option('provider', { choices: PROVIDER_KINDS, describe: 'Backend (default: infomaniak when INFOMANIAK_API_TOKEN is set, else offline)' })
    .option('concurrency', { alias: 'c', type: 'number', describe: 'Images in flight at once (config concurrency.image)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
    .option('force', { type: 'boolean', default: false, describe: 'Regenerate everything: ignore cached prompts and images (the cache is still refreshed)' })
    .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' });
}

export function buildParser(argv: string[]) {
  return commonOptions(
    yargs(argv)
      .scriptName('slide-illustrate')
      // One spelling per flag: no camelCase twins in messages or in the parsed result.
      .parserConfiguration({ 'camel-case-expansion': false })
      .usage('$0 <decks or folders..> [options]\n\nIllustrates every slide of PowerPoint decks and writes new copies; the inputs are never modified.')
      .command('$0 <inputs..>', 'Illustrate decks, or every deck under folders', (y) =>
        runOptions(
          y
            .positional('inputs', { type: 'string', array: true, describe: 'Decks (.pptx, .pptm, .ppsx, .potx) or folders searched recursively' })
            .option('out', { alias: 'o', type: 'string', describe: 'Output file for one deck; output folder for several decks or a folder (default: outputDir)' }),
        ),
      )
      .command('schedule', "Illustrate the config's inputs into its outputDir on its cron schedule, paying only for what changed", (y) =>
        runOptions(y.option('once', { type: 'boolean', default: false, describe: 'Run one pass and exit (for system cron, systemd timers or CI)' })),
      )
      .command('cache', 'Show the cache size; prune entries unused for a while', (y) =>
        y
          .option('prune-older-than', { type: 'string', describe: 'Remove entries unused for this long: 30d, 12h, 90m' })
          .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
          .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' }),
      )
      .example('$0 deck.pptx', 'Illustrate deck.pptx into output/deck.pptx')
      .example('$0 deck.pptx --out illustrated.pptx --provider offline', 'Offline placeholder art, chosen output file')
      .example('$0 decks/ --out illustrated/ --json', 'Every deck under decks/, mirrored under illustrated/, JSON summary')
      .example('$0 schedule --config pipeline.config.json --once', 'One pass of the scheduled job'),
  )
    .strict()
    .exitProcess(false)
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw new ArgsError(err?.message ?? msg);
    });
}

// Parses argv into typed arguments; throws ArgsError on bad flags. Returns undefined after --help.
export async function parseArgs(argv: string[]): Promise<{ args: CliArgs | undefined; output: string }> {
  let output = '';
  const parser = buildParser(argv);
  const parsed = await parser.parseAsync(argv, {}, (_err, _argv, out) => {
    output = out;
  });
  if (parsed['help']) return { args: undefined, output };
  const common: CommonArgs = { config: parsed['config'] as string | undefined, debug: Boolean(parsed['debug']), json: Boolean(parsed['json']), cacheDir: parsed['cache-dir'] as string | undefined };
  const command = parsed._[0];
  if (command === 'cache') {
    const prune = parsed['prune-older-than'] as string | undefined;
    return { args: { command: 'cache', ...common, pruneOlderThanMs: prune === undefined ? undefined : toArgsError(() => parseDuration(prune, '--prune-older-than')) }, output };
  }
  const run: RunArgs = { ...common, provider: parsed['provider'] as ProviderKind | undefined, concurrency: readConcurrency(parsed['concurrency']), force: Boolean(parsed['force']) };
  if (command === 'schedule') return { args: { command: 'schedule', ...run, once: Boolean(parsed['once']) }, output };
  return {
    args: { command: 'illustrate', ...run, inputs: (parsed['inputs'] as string[] | undefined) ?? [], out: parsed['out'] as string | undefined },
    output,
  };
}

function readConcurrency(value: unknown): number | undefined {
  const concurrency = value as number | undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new ArgsError(`--concurrency: expected an integer from 1 to 64, got ${JSON.stringify(value)}`);
  }
  return concurrency;
}

function toArgsError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new ArgsError((error as Error).message);
  }
}
