// The CLI's only error boundary: turns results and errors into output and exit codes.
// 0 all good, 1 some slides or decks failed, 2 usage, config or input errors.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError, messageOf, SlideIllustrateError, UsageError } from '../errors.js';
import { createLimiters } from '../pipeline/limiters.js';
import { runDeck } from '../pipeline/run-deck.js';
import { createProviders } from '../providers/create-providers.js';
import { ArgsError, parseArgs, type IllustrateArgs } from './args.js';
import { formatDeckSummary, OFFLINE_NOTICE } from './summary.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const { args, output } = await parseArgs(argv);
    if (!args) {
      io.stdout.write(output + '\n');
      return 0;
    }
    return await illustrate(args, io);
  } catch (error) {
    return reportError(error, io, debug);
  }
}

async function illustrate(args: IllustrateArgs, io: CliIo): Promise<number> {
  if (args.inputs.length !== 1) throw new UsageError('give exactly one deck to illustrate');
  const input = path.resolve(io.cwd, args.inputs[0]!);
  const { config } = await loadConfig({ file: args.config, cwd: io.cwd, overrides: { concurrency: { image: args.concurrency } } });
  const providers = await createProviders({ kind: args.provider, config, env: io.env });
  const limiters = createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image });
  const output = args.out ? path.resolve(io.cwd, args.out) : path.resolve(io.cwd, config.outputDir, path.basename(input));
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const report = await runDeck(input, { config, providers, limiters, output, signal: controller.signal });
    io.stdout.write(formatDeckSummary(report, io.cwd) + '\n');
    if (providers.offline && report.output) io.stdout.write(OFFLINE_NOTICE + '\n');
    if (report.status === 'refused') return 2;
    return report.status === 'ok' ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function reportError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof ArgsError) {
    io.stderr.write(`slide-illustrate: ${error.message}\nRun "slide-illustrate --help" for usage.\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`slide-illustrate: ${error.problems.length > 1 ? `${error.message.split(': ')[0]}:\n  ${error.problems.join('\n  ')}` : error.message}\n`);
    if (debug && error.stack) io.stderr.write(error.stack + '\n');
    return 2;
  }
  if (error instanceof SlideIllustrateError) {
    io.stderr.write(`slide-illustrate: ${error.message}\n`);
    if (debug && error.stack) io.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  // A bug: one line unless --debug, which shows the stack.
  io.stderr.write(`slide-illustrate: unexpected error: ${messageOf(error)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  return 1;
}
