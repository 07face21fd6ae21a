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
  /** Requests per minute to the provider (config rpm). */
  rpm: number | undefined;
  /** Seconds per API attempt (config timeoutSeconds). */
  timeout: number | undefined;
  force: boolean;
  /** Write an HTML report of the run (each pass, for the schedule) to this file. */
  report: string | undefined;
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

/** `models` lists what the account can use; `doctor` checks token, product and models. */
export interface AccountArgs extends CommonArgs {
  command: 'models' | 'doctor';
  provider: ProviderKind | undefined;
}

export type CliArgs = IllustrateArgs | ScheduleArgs | CacheArgs | AccountArgs;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (default: ./pipeline.config.json when present)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces and request details (never the token)' });
}

function providerOption<T>(y: Argv<T>) {
  return y.option('provider', { choices: PROVIDER_KINDS, describe: 'Backend (default: infomaniak when INFOMANIAK_API_TOKEN is set, else offline)' });
}

function runOptions<T>(y: Argv<T>) {
  return providerOption(y)
    .option('concurrency', { alias: 'c', type: 'number', describe: 'Images in flight at once (config concurrency.image)' })
    .option('rpm', { type: 'number', describe: 'API requests per minute, retries included (config rpm, default 60)' })
    .option('timeout', { type: 'number', describe: 'Seconds one API attempt may take (config timeoutSeconds, default 120)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
    .option('force', { type: 'boolean', default: false, describe: 'Regenerate everything: ignore cached prompts and images (the cache is still refreshed)' })
    .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' })
    .option('report', { type: 'string', describe: 'Write an HTML contact sheet of the run to this .html file' });
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
      .command('models', 'List the LLM and image models the account can use', (y) => providerOption(y))
      .command('doctor', 'Check token, product id and models with free calls before a paid batch', (y) => providerOption(y))
      .example('$0 deck.pptx', 'Illustrate deck.pptx into output/deck.pptx')
      .example('$0 deck.pptx --out illustrated.pptx --provider offline', 'Offline placeholder art, chosen output file')
      .example('$0 decks/ --out illustrated/ --json', 'Every deck under decks/, mirrored under illustrated/, JSON summary')
      .example('$0 schedule --config pipeline.config.json --once', 'One pass of the scheduled job')
      .example('$0 doctor', 'Check INFOMANIAK_API_TOKEN, the product id and the configured models'),
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
  const provider = parsed['provider'] as ProviderKind | undefined;
  if (command === 'models' || command === 'doctor') return { args: { command, ...common, provider }, output };
  const run: RunArgs = {
    ...common,
    provider,
    concurrency: checkNumber('--concurrency', parsed['concurrency'], { integer: true, min: 1, max: 64 }),
    rpm: checkNumber('--rpm', parsed['rpm'], { integer: true, min: 1, max: 10_000 }),
    timeout: checkNumber('--timeout', parsed['timeout'], { integer: false, min: 0.001, max: 3600 }),
    force: Boolean(parsed['force']),
    report: parsed['report'] as string | undefined,
  };
  if (command === 'schedule') return { args: { command: 'schedule', ...run, once: Boolean(parsed['once']) }, output };
  return {
    args: { command: 'illustrate', ...run, inputs: (parsed['inputs'] as string[] | undefined) ?? [], out: parsed['out'] as string | undefined },
    output,
  };
}

/** A numeric flag within its range, or an ArgsError naming the flag, the range and the value. */
function checkNumber(flag: string, value: unknown, range: { integer: boolean; min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!range.integer || Number.isInteger(value)) && value >= range.min && value <= range.max;
  if (ok) return value;
  const kind = range.integer ? `an integer from ${range.min} to ${range.max}` : `a number of seconds up to ${range.max}`;
  throw new ArgsError(`${flag}: expected ${kind}, got ${JSON.stringify(value)}`);
}

function toArgsError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new ArgsError((error as Error).message);
  }
}
