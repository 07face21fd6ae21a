// The command line, as a yargs parser that can be tested without running anything.
import yargs, { type Argv } from 'yargs';
import { FLAG_RANGES, type NumberRange } from '../config/schema.js';
import { parseSlideSelector } from '../model/directions.js';
import { IMAGE_API_STYLES } from '../model/image-api-limits.js';
import { parseDuration } from '../internal/duration.js';
import { PROVIDER_KINDS, type ProviderKind } from '../api/account.js';

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

/** What a run shows while it works, and what it may spend. */
export interface RunControls {
  /** Write and print the prompts only: no image call, no deck written. */
  dryRun: boolean;
  /** Most images paid for in the whole run; cached images do not count. */
  maxImages: number | undefined;
  /** Skip the cost confirmation on a terminal. */
  yes: boolean;
  verbosity: Verbosity;
}

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Which slides a run touches, and how their pictures are made (see model/directions.ts). */
export interface DirectionArgs {
  /** --slides 3,5-7: only these slides. */
  slides: number[] | undefined;
  /** --reroll 3: a new picture for these slides. */
  reroll: number[] | undefined;
  /** --reprompt 3: a new prompt and picture for these slides. */
  reprompt: number[] | undefined;
  /** --variants n: pictures per image call (config variants). */
  variants: number | undefined;
  /** --style: the style prompt of every deck. */
  style: string | undefined;
  /** --image-style: the image API's style value. */
  imageStyle: string | undefined;
}

export interface IllustrateArgs extends RunArgs, RunControls, DirectionArgs {
  command: 'illustrate';
  inputs: string[];
  out: string | undefined;
}

export interface ScheduleArgs extends RunArgs {
  command: 'schedule';
  once: boolean;
  /** Each pass submits to the queue's workers instead of running here (see README, "Scaling out"). */
  queue: boolean;
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

/** `init` writes a starter config (at --config, else ./pipeline.config.json). */
export interface InitArgs extends CommonArgs {
  command: 'init';
  force: boolean;
}

/** `submit`: plan here, enqueue one flow per deck for the queue's workers (see README, "Scaling out"). */
export interface SubmitArgs extends RunArgs {
  command: 'submit';
  inputs: string[];
  out: string | undefined;
  /** Show progress until the run ends and exit like a local run. */
  wait: boolean;
}

/** `worker`: runs the queue's slide and deck jobs until SIGTERM/SIGINT. */
export interface WorkerArgs extends CommonArgs {
  command: 'worker';
  /** Slide jobs at once (default 8). */
  concurrency: number | undefined;
  /** Seconds jobs in flight may take to finish after a stop signal (default 20). */
  grace: number | undefined;
  /** Serve Prometheus metrics on 127.0.0.1:PORT/metrics. */
  metricsPort: number | undefined;
  /** CPU threads for pictures: fits at once, one libvips thread each (default: the local run's). */
  threads: number | undefined;
}

/** `status [RUN]`: a run's progress, or the latest runs. */
export interface StatusArgs extends CommonArgs {
  command: 'status';
  run: string | undefined;
}

export type QueueArgs = SubmitArgs | WorkerArgs | StatusArgs;

/** `review <deck>`: the review page on 127.0.0.1 until Ctrl-C. */
export interface ReviewArgs extends RunArgs {
  command: 'review';
  deck: string;
  out: string | undefined;
  /** Open the page in the browser (--no-open: only print the URL). */
  open: boolean;
  /** 0 or undefined: a free port. */
  port: number | undefined;
  /** Most images the review may pay for. */
  maxImages: number | undefined;
  /** Pictures per generation (config variants). */
  variants: number | undefined;
}

export type CliArgs = IllustrateArgs | ScheduleArgs | CacheArgs | AccountArgs | InitArgs | QueueArgs | ReviewArgs;

/** `$0 <command> --help` lists these; `$0 --help` lists the illustrate ones (the default command). */
export const EXAMPLES = {
  illustrate: [
    ['$0 deck.pptx', 'Illustrate deck.pptx into output/deck.pptx'],
    ['$0 deck.pptx --out illustrated.pptx --provider offline', 'Offline placeholder art, chosen output file'],
    ['$0 decks/ --out illustrated/ --json', 'Every deck under decks/, mirrored under illustrated/, JSON summary'],
    ['$0 decks/ --dry-run', "Print each slide's prompt and where its picture would go; no image, no deck"],
    ['$0 decks/ --max-images 50 --yes', 'Pay for at most 50 new images, without the confirmation question'],
    ['$0 talk.pptx --variants 3', 'Three pictures per slide in one call each; talk.illustrate.json picks which one the deck gets'],
    ['$0 talk.pptx --reroll 3 --slides 3', 'A new picture for slide 3 only (one image call), the rest from the cache'],
  ],
  schedule: [
    ['$0 schedule --config pipeline.config.json --once', 'One pass of the scheduled job (for cron or systemd)'],
    ['$0 schedule --json >> illustrate.jsonl', 'The built-in schedule, one JSON line per event'],
    ['$0 schedule --queue', "Each pass submits to the queue's workers (REDIS_URL or queue.redis)"],
  ],
  review: [
    ['$0 review talk.pptx', 'Review the pictures of talk.pptx in the browser; decisions go to talk.illustrate.json'],
    ['$0 review talk.pptx --no-open --port 8123', 'Print the URL (with its secret) only, on a fixed port'],
  ],
  cache: [
    ['$0 cache', 'Size of the cache and when its entries were last used'],
    ['$0 cache --prune-older-than 30d', 'Remove entries unused for 30 days'],
  ],
  models: [
    ['$0 models', 'The LLM and image models the Infomaniak account can use'],
    ['$0 models --provider openai', 'The models of an OpenAI-compatible server (OPENAI_BASE_URL, default https://api.openai.com/v1)'],
  ],
  doctor: [
    ['$0 doctor', 'Check INFOMANIAK_API_TOKEN, the product id and the configured models'],
    ['$0 doctor --provider openai', 'Check an OpenAI-compatible server and its key'],
  ],
  submit: [
    [
      'REDIS_URL=redis://127.0.0.1:6379 $0 submit decks/ --out illustrated/',
      'Queue every deck under decks/ for the workers; prints the run id',
    ],
    ['$0 submit decks/ --wait', 'Queue, then show progress until the run ends; exits like a local run'],
  ],
  worker: [['$0 worker --concurrency 8', 'Run slide and deck jobs until SIGTERM/SIGINT']],
  status: [
    ['$0 status', 'The latest runs'],
    ['$0 status run-20261129T050000Z-1a2b3c --json', "A run's decks: slides waiting, active, done, failed; what was generated"],
  ],
  init: [
    ['$0 init', 'Write ./pipeline.config.json with every key at its default, each explained'],
    ['$0 init --config team.config.json --force', 'Write (or overwrite) another config file'],
  ],
} as const satisfies Record<CliArgs['command'], readonly (readonly [string, string])[]>;

function withExamples<T>(y: Argv<T>, command: keyof typeof EXAMPLES): Argv<T> {
  return EXAMPLES[command].reduce((acc, [cmd, what]) => acc.example(cmd, what), y);
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (default: ./pipeline.config.json when present)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces and request details (never the token)' });
}

function providerOption<T>(y: Argv<T>, describe: string) {
  return y.option('provider', { choices: PROVIDER_KINDS, describe });
}

export const RUN_PROVIDER = 'Backend (default: infomaniak when INFOMANIAK_API_TOKEN is set, else offline)';
/** `models` and `doctor` exist to check an account: they never fall back to offline. */
export const ACCOUNT_PROVIDER =
  'Account to check (default: infomaniak, token or not: without INFOMANIAK_API_TOKEN it exits 2 saying what to set; openai: OPENAI_API_KEY at OPENAI_BASE_URL, default https://api.openai.com/v1)';

function runOptions<T>(y: Argv<T>) {
  return (
    providerOption(y, RUN_PROVIDER)
      // Numbers untyped: yargs turns "abc" into null for a typed number; untyped, checkNumber sees what was given.
      .option('concurrency', { alias: 'c', requiresArg: true, describe: 'Images in flight at once (config concurrency.image)' })
      .option('rpm', { requiresArg: true, describe: 'API requests per minute, retries included (config rpm, default 60)' })
      .option('timeout', { requiresArg: true, describe: 'Seconds one API attempt may take (config timeoutSeconds, default 120)' })
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Regenerate everything: ignore cached prompts and images (the cache is still refreshed)',
      })
      .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' })
      .option('report', { type: 'string', describe: 'Write an HTML contact sheet of the run to this .html file' })
  );
}

function controlOptions<T>(y: Argv<T>) {
  return (
    y
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: "Write and print each slide's prompt and where its picture would go; no image call, no deck written",
      })
      .option('max-images', {
        requiresArg: true,
        describe: 'Pay for at most this many images in the whole run; cached images are free and not counted',
      })
      .option('yes', {
        alias: 'y',
        type: 'boolean',
        default: false,
        describe: 'Do not ask before a paid run (terminals ask; scripts never do)',
      })
      // No defaults: yargs would count a default as given and refuse every run as a conflict.
      .option('slides', { type: 'string', requiresArg: true, describe: 'Only these slides, e.g. 3,5-7 (the others are left as they are)' })
      .option('reroll', {
        type: 'string',
        requiresArg: true,
        describe: 'Pay for a new picture for these slides (e.g. 3 or 3,5-7); the rest from the cache',
      })
      .option('reprompt', { type: 'string', requiresArg: true, describe: 'Also write a new prompt for these slides (one LLM call each)' })
      .option('variants', {
        requiresArg: true,
        describe: 'Pictures per slide in one image call, 1 to 5 (config variants): all cached, the deck gets the chosen one',
      })
      .option('style', {
        type: 'string',
        requiresArg: true,
        describe: "Style prompt for every slide (over the deck's directions file and config image.style)",
      })
      .option('image-style', {
        choices: IMAGE_API_STYLES,
        requiresArg: true,
        describe: "The image API's own style (config image.apiStyle), where the model accepts it",
      })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only errors and the final summary' })
      .option('verbose', { alias: 'v', type: 'boolean', describe: 'One line per slide as it finishes' })
      .conflicts('quiet', 'verbose')
  );
}

export function buildParser(argv: string[]) {
  return (
    commonOptions(
      yargs(argv)
        .scriptName('slide-illustrate')
        // One spelling per flag: no camelCase twins in messages or in the parsed result.
        // `--` ends the options: what follows lands in argv['--'] and is only ever a deck or folder,
        // never a flag or a command (`slide-illustrate -- -rf.pptx`, `-- schedule`).
        .parserConfiguration({ 'camel-case-expansion': false, 'populate--': true })
        .usage(
          '$0 <decks or folders..> [options]\n\nIllustrates every slide of PowerPoint decks and writes new copies; the inputs are never modified.',
        )
        // Optional here so that yargs names an unknown flag rather than a missing input; parseArgs
        // turns an empty command line into the help and no input into a usage error.
        .command('$0 [inputs..]', 'Illustrate decks, or every deck under folders', (y) =>
          withExamples(
            controlOptions(
              runOptions(
                y
                  .positional('inputs', {
                    type: 'string',
                    array: true,
                    describe: 'Decks (.pptx, .pptm, .ppsx, .potx) or folders searched recursively',
                  })
                  .option('out', {
                    alias: 'o',
                    type: 'string',
                    describe: 'Output file for one deck; output folder for several decks or a folder (default: outputDir)',
                  }),
              ),
            ),
            'illustrate',
          ),
        )
        .command('schedule', "Illustrate the config's inputs into its outputDir on its cron schedule, paying only for what changed", (y) =>
          withExamples(
            runOptions(
              y
                .option('once', {
                  type: 'boolean',
                  default: false,
                  describe: 'Run one pass and exit (for system cron, systemd timers or CI)',
                })
                .option('queue', {
                  type: 'boolean',
                  default: false,
                  describe: "Each pass submits to the queue's workers and waits for them; a Redis lock keeps passes from overlapping",
                }),
            ),
            'schedule',
          ),
        )
        .command('review <deck>', "Review a deck's pictures on a local page: pick variants, edit prompts, re-roll, skip, write", (y) =>
          withExamples(
            providerOption(y, RUN_PROVIDER)
              .positional('deck', { type: 'string', describe: 'The deck (.pptx, .pptm, .ppsx, .potx)' })
              .option('out', { alias: 'o', type: 'string', describe: 'Output file "Write deck" writes (default: outputDir/<deck name>)' })
              .option('open', { type: 'boolean', default: true, describe: 'Open the page in the browser (--no-open: print the URL only)' })
              .option('port', { requiresArg: true, describe: 'Port on 127.0.0.1 (default: a free one)' })
              .option('max-images', { requiresArg: true, describe: 'Pay for at most this many images during the review' })
              .option('variants', { requiresArg: true, describe: 'Pictures per generation, 1 to 5 (config variants)' })
              .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' })
              .option('concurrency', { alias: 'c', requiresArg: true, describe: 'Images in flight at once (config concurrency.image)' })
              .option('rpm', { requiresArg: true, describe: 'API requests per minute, retries included (config rpm, default 60)' })
              .option('timeout', { requiresArg: true, describe: 'Seconds one API attempt may take (config timeoutSeconds, default 120)' }),
            'review',
          ),
        )
        .command('cache', 'Show the cache size; prune entries unused for a while', (y) =>
          withExamples(
            y
              .option('prune-older-than', { type: 'string', describe: 'Remove entries unused for this long: 30d, 12h, 90m' })
              .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
              .option('cache-dir', { type: 'string', describe: 'Cache folder (config cacheDir)' }),
            'cache',
          ),
        )
        .command('models', 'List the LLM and image models the account can use', (y) =>
          withExamples(providerOption(y, ACCOUNT_PROVIDER), 'models'),
        )
        .command('doctor', 'Check token, product id and models with free calls before a paid batch', (y) =>
          withExamples(providerOption(y, ACCOUNT_PROVIDER), 'doctor'),
        )
        .command('submit <inputs..>', 'Queue decks for the BullMQ workers (Redis: REDIS_URL or queue.redis)', (y) =>
          withExamples(
            providerOption(y, RUN_PROVIDER)
              .positional('inputs', { type: 'string', array: true, describe: 'Decks or folders searched recursively' })
              .option('out', {
                alias: 'o',
                type: 'string',
                describe: 'Output file for one deck; output folder otherwise (default: outputDir)',
              })
              .option('wait', {
                type: 'boolean',
                default: false,
                describe: 'Show progress until the run ends; exit 0, 1 (some failed) or 2',
              })
              .option('concurrency', {
                alias: 'c',
                requiresArg: true,
                describe: 'Images in flight at once per worker (config concurrency.image)',
              })
              .option('rpm', { requiresArg: true, describe: 'API requests per minute across all workers, retries included (config rpm)' })
              .option('timeout', { requiresArg: true, describe: 'Seconds one API attempt may take (config timeoutSeconds)' })
              .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
              .option('cache-dir', {
                type: 'string',
                describe: 'Shared cache folder every worker reaches at the same path (config cacheDir)',
              }),
            'submit',
          ),
        )
        .command('worker', 'Run queued slide and deck jobs until SIGTERM/SIGINT', (y) =>
          withExamples(
            y
              .option('concurrency', { alias: 'c', requiresArg: true, describe: 'Slide jobs at once (default 8)' })
              .option('grace', {
                requiresArg: true,
                describe: 'Seconds jobs in flight may take after a stop signal before they go back to the queue (default 20)',
              })
              .option('metrics-port', { requiresArg: true, describe: 'Serve Prometheus metrics on http://127.0.0.1:PORT/metrics' })
              .option('threads', {
                requiresArg: true,
                describe: 'CPU threads for pictures: N fits at once, one thread each (one worker per core: --threads 1)',
              }),
            'worker',
          ),
        )
        .command('status [run]', "A queued run's progress, or the latest runs", (y) =>
          withExamples(
            y
              .positional('run', { type: 'string', describe: 'Run id printed by submit' })
              .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' }),
            'status',
          ),
        )
        .command('init', 'Write a starter pipeline.config.json: every key at its default, each explained in a comment', (y) =>
          withExamples(y.option('force', { type: 'boolean', default: false, describe: 'Overwrite the file when it exists' }), 'init'),
        ),
    )
      .strict()
      .exitProcess(false)
      .help()
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 100))
      // yargs spreads some messages over lines ("Invalid values:\n  Argument: provider, …"): one line here.
      .fail((msg, err) => {
        throw new ArgsError((err?.message ?? msg).replace(/\s*\n\s*/g, ' ').trim());
      })
  );
}

/** Flags that take one value: given twice, which one was meant is a guess, so it is refused. */
const SINGLE_VALUE_FLAGS = [
  'config',
  'cache-dir',
  'out',
  'report',
  'provider',
  'concurrency',
  'rpm',
  'timeout',
  'max-images',
  'prune-older-than',
  'slides',
  'reroll',
  'reprompt',
  'variants',
  'style',
  'image-style',
  'grace',
  'metrics-port',
  'threads',
  'port',
] as const;

export interface ParsedCommandLine {
  /** Undefined: print `output` (the help) instead of running anything. */
  args: CliArgs | undefined;
  output: string;
  /** The help stands for a usage error (an empty command line): print it on stderr, exit 2. */
  usage?: true;
}

// Parses argv into typed arguments; throws ArgsError on bad flags. Returns undefined after --help,
// and the help marked `usage` for an empty command line.
export async function parseArgs(argv: string[]): Promise<ParsedCommandLine> {
  // Like git, npm or clap's arg_required_else_help: nothing to do is a usage error that shows the help.
  if (argv.length === 0) return { ...(await parseArgs(['--help'])), usage: true };
  let output = '';
  const parser = buildParser(argv);
  const parsed = await parser.parseAsync(argv, {}, (_err, _argv, out) => {
    output = out;
  });
  if (parsed['help']) return { args: undefined, output };
  for (const flag of SINGLE_VALUE_FLAGS) {
    const value: unknown = parsed[flag];
    if (Array.isArray(value))
      throw new ArgsError(`--${flag} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}); give it once`);
    // `--out` last on the line, `--out=` or `--out --json`: yargs gives "", which later reads as the current folder.
    if (value === '') throw new ArgsError(`--${flag} needs a value`);
  }
  const afterDashes = ((parsed['--'] as unknown[] | undefined) ?? []).map(String);
  const common: CommonArgs = {
    config: parsed['config'] as string | undefined,
    debug: Boolean(parsed['debug']),
    json: Boolean(parsed['json']),
    cacheDir: parsed['cache-dir'] as string | undefined,
  };
  const command = parsed._[0];
  if (command !== undefined && afterDashes.length)
    throw new ArgsError(`Unknown argument: ${afterDashes.join(', ')} (only decks and folders follow --)`);
  if (command === 'cache') {
    const prune = parsed['prune-older-than'] as string | undefined;
    return {
      args: {
        command: 'cache',
        ...common,
        pruneOlderThanMs: prune === undefined ? undefined : toArgsError(() => parseDuration(prune, '--prune-older-than')),
      },
      output,
    };
  }
  if (command === 'init') return { args: { command: 'init', ...common, force: Boolean(parsed['force']) }, output };
  if (command === 'worker') {
    const concurrency = checkNumber('--concurrency', parsed['concurrency'], WORKER_CONCURRENCY_RANGE);
    const grace = checkNumber('--grace', parsed['grace'], GRACE_RANGE);
    const metricsPort = checkNumber('--metrics-port', parsed['metrics-port'], PORT_RANGE);
    const threads = checkNumber('--threads', parsed['threads'], THREADS_RANGE);
    return { args: { command: 'worker', ...common, concurrency, grace, metricsPort, threads }, output };
  }
  if (command === 'status') return { args: { command: 'status', ...common, run: parsed['run'] as string | undefined }, output };
  const provider = parsed['provider'] as ProviderKind | undefined;
  if (command === 'models' || command === 'doctor') return { args: { command, ...common, provider }, output };
  const run: RunArgs = {
    ...common,
    provider,
    // The config's own ranges (the flags set those keys); checked here too, so the message names the flag.
    concurrency: checkNumber('--concurrency', parsed['concurrency'], FLAG_RANGES.concurrency),
    rpm: checkNumber('--rpm', parsed['rpm'], FLAG_RANGES.rpm),
    timeout: checkNumber('--timeout', parsed['timeout'], FLAG_RANGES.timeoutSeconds),
    force: Boolean(parsed['force']),
    report: parsed['report'] as string | undefined,
  };
  if (command === 'submit') {
    const inputs = ((parsed['inputs'] as unknown[] | undefined) ?? []).map(String);
    return { args: { command: 'submit', ...run, inputs, out: parsed['out'] as string | undefined, wait: Boolean(parsed['wait']) }, output };
  }
  if (command === 'schedule')
    return { args: { command: 'schedule', ...run, once: Boolean(parsed['once']), queue: Boolean(parsed['queue']) }, output };
  if (command === 'review') {
    const review: ReviewArgs = {
      command: 'review',
      ...run,
      deck: String(parsed['deck']),
      out: parsed['out'] as string | undefined,
      open: parsed['open'] !== false,
      port: checkNumber('--port', parsed['port'], PORT_RANGE),
      maxImages: checkNumber('--max-images', parsed['max-images'], MAX_IMAGES_RANGE),
      variants: checkNumber('--variants', parsed['variants'], FLAG_RANGES.variants),
    };
    return { args: review, output };
  }
  const inputs = [...((parsed['inputs'] as unknown[] | undefined) ?? []).map(String), ...afterDashes];
  if (!inputs.length) throw new ArgsError('no deck or folder given: name at least one .pptx file or folder to illustrate');
  return {
    args: {
      command: 'illustrate',
      ...run,
      ...readControls(parsed),
      ...readDirections(parsed),
      inputs,
      out: parsed['out'] as string | undefined,
    },
    output,
  };
}

function readControls(parsed: Record<string, unknown>): RunControls {
  return {
    dryRun: Boolean(parsed['dry-run']),
    maxImages: checkNumber('--max-images', parsed['max-images'], MAX_IMAGES_RANGE),
    yes: Boolean(parsed['yes']),
    verbosity: parsed['quiet'] ? 'quiet' : parsed['verbose'] ? 'verbose' : 'normal',
  };
}

function readDirections(parsed: Record<string, unknown>): DirectionArgs {
  const selector = (flag: string): number[] | undefined => {
    const value = parsed[flag];
    if (value === undefined) return undefined;
    const slides = parseSlideSelector(String(value));
    if (typeof slides === 'string') throw new ArgsError(`--${flag}: ${slides}`);
    return slides;
  };
  const style = parsed['style'] as string | undefined;
  if (style !== undefined && !style.trim()) throw new ArgsError('--style needs a value');
  return {
    slides: selector('slides'),
    reroll: selector('reroll'),
    reprompt: selector('reprompt'),
    variants: checkNumber('--variants', parsed['variants'], FLAG_RANGES.variants),
    style,
    imageStyle: parsed['image-style'] as string | undefined,
  };
}

/** --max-images has no config key: its range is the flag's own. */
const MAX_IMAGES_RANGE: NumberRange = { integer: true, min: 0, max: 1_000_000 };
const WORKER_CONCURRENCY_RANGE: NumberRange = { integer: true, min: 1, max: 256 };
const GRACE_RANGE: NumberRange = { integer: false, min: 0, max: 3600 };
const THREADS_RANGE: NumberRange = { integer: true, min: 1, max: 64 };
/** --port, --metrics-port: 0 asks the system for a free one. */
const PORT_RANGE: NumberRange = { integer: true, min: 0, max: 65_535 };

/** A numeric flag within its range, or an ArgsError naming the flag, the range and the value. */
function checkNumber(flag: string, value: unknown, range: NumberRange): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    value >= range.min &&
    value <= range.max;
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
