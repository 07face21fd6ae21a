// The CLI's only error boundary: turns results and errors into output and exit codes.
// 0 all good, 1 some slides or decks failed, 2 usage, config or input errors, 130 stopped by a signal.
import { ConfigError, messageOf, SlideIllustrateError } from '../errors.js';
import { ArgsError, parseArgs } from './args.js';
import { runCacheCommand } from './commands/cache.js';
import { runIllustrate } from './commands/illustrate.js';
import { runScheduleCommand } from './commands/schedule.js';

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
    switch (args.command) {
      case 'illustrate':
        return await runIllustrate(args, io);
      case 'schedule':
        return await runScheduleCommand(args, io);
      case 'cache':
        return await runCacheCommand(args, io);
    }
  } catch (error) {
    return reportError(error, io, debug);
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
