// The command line, as a yargs parser that can be tested without running anything.
import yargs, { type Argv } from 'yargs';
import { PROVIDER_KINDS, type ProviderKind } from '../providers/create-providers.js';

export interface IllustrateArgs {
  command: 'illustrate';
  inputs: string[];
  out: string | undefined;
  provider: ProviderKind | undefined;
  concurrency: number | undefined;
  config: string | undefined;
  debug: boolean;
}

export type CliArgs = IllustrateArgs;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (default: ./pipeline.config.json when present)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces and request details (never the token)' });
}

export function buildParser(argv: string[]) {
  return commonOptions(
    yargs(argv)
      .scriptName('slide-illustrate')
      // One spelling per flag: no camelCase twins in messages or in the parsed result.
      .parserConfiguration({ 'camel-case-expansion': false })
      .usage('$0 <deck.pptx> [options]\n\nIllustrates every slide of a PowerPoint deck and writes a new copy; the input is never modified.')
      .command('$0 <inputs..>', 'Illustrate one deck', (y) =>
        y
          .positional('inputs', { type: 'string', array: true, describe: 'Deck to illustrate (.pptx, .pptm, .ppsx, .potx)' })
          .option('out', { alias: 'o', type: 'string', describe: 'Output file (default: <outputDir>/<deck file name>)' })
          .option('provider', { choices: PROVIDER_KINDS, describe: 'Backend (default: infomaniak when INFOMANIAK_API_TOKEN is set, else offline)' })
          .option('concurrency', { alias: 'c', type: 'number', describe: 'Images in flight at once (config concurrency.image)' }),
      )
      .example('$0 deck.pptx', 'Illustrate deck.pptx into output/deck.pptx')
      .example('$0 deck.pptx --out illustrated.pptx --provider offline', 'Offline placeholder art, chosen output file'),
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
  const concurrency = parsed['concurrency'] as number | undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new ArgsError(`--concurrency: expected an integer from 1 to 64, got ${JSON.stringify(parsed['concurrency'])}`);
  }
  return {
    args: {
      command: 'illustrate',
      inputs: (parsed['inputs'] as string[] | undefined) ?? [],
      out: parsed['out'] as string | undefined,
      provider: parsed['provider'] as ProviderKind | undefined,
      concurrency,
      config: parsed['config'] as string | undefined,
      debug: Boolean(parsed['debug']),
    },
    output,
  };
}
