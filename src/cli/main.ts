// The CLI's only error boundary: turns results and errors into output and exit codes.
// 0 all good, 1 some slides or decks failed, 2 usage, config or input errors, 130 stopped by a signal.
import { loadConfig } from '../config/load.js';
import { ConfigError, messageOf, SlideIllustrateError } from '../errors.js';
import { redact, secretsOf } from '../internal/env.js';
import { ArgsError, parseArgs, type AccountArgs } from './args.js';
import { printable, printableOutput } from '../internal/printable.js';
import type { CliIo, CliStream } from './io.js';

export type { CliIo, CliStream } from './io.js';

const defaultIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
  stdin: process.stdin,
});

export async function main(argv: string[], rawIo: CliIo = defaultIo()): Promise<number> {
  // Everything printed passes through the mask, stacks and server messages included.
  const io = redactingIo(rawIo);
  const debug = argv.includes('--debug');
  try {
    const { args, output, usage } = await parseArgs(argv);
    if (!args) {
      // --help asked for it: stdout, 0. An empty command line: the help as the error, stderr, 2.
      (usage ? io.stderr : io.stdout).write(`${output}\n`);
      return usage ? 2 : 0;
    }
    // Each command's modules are loaded only when it runs (the bundle is split at these imports):
    // `--help`, `init` and an unchanged re-run never compile the deck reader, the planner or sharp.
    switch (args.command) {
      case 'illustrate':
        return await (await import('./commands/illustrate.js')).runIllustrate(args, io);
      case 'schedule':
        return await (await import('./commands/schedule.js')).runScheduleCommand(args, io);
      case 'cache':
        return await (await import('./commands/cache.js')).runCacheCommand(args, io);
      case 'models':
      case 'doctor':
        return await runAccountCommand(args, io);
      case 'init':
        return await (await import('./commands/init.js')).runInit(args, io);
      case 'submit':
      case 'worker':
      case 'status':
        return await (await import('./commands/queue.js')).runQueueCommand(args, io);
      case 'review':
        return await (await import('./commands/review.js')).runReview(args, io);
    }
  } catch (error) {
    return reportError(error, io, debug);
  }
}

async function runAccountCommand(args: AccountArgs, io: CliIo): Promise<number> {
  const [{ runDoctor, runModels }, { httpOverrides }] = await Promise.all([import('../api/account.js'), import('./run-context.js')]);
  const { config } = await loadConfig({ file: args.config, cwd: io.cwd });
  const ctx = {
    kind: args.provider ?? 'infomaniak',
    config,
    env: io.env,
    http: httpOverrides(io, args.debug),
    out: (line: string) => io.stdout.write(`${line}\n`),
  };
  return args.command === 'models' ? runModels(ctx) : runDoctor(ctx);
}

// The same streams, with every credential from the environment masked and, as a last line of
// defence behind printable() on each untrusted value, no control character but newline let through.
function redactingIo(io: CliIo): CliIo {
  const secrets = secretsOf(io.env);
  const mask = (stream: CliStream): CliStream => ({
    write: (s: string) => stream.write(printableOutput(redact(String(s), secrets))),
    writeControl: (s: string) => (stream.writeControl ?? stream.write).call(stream, redact(String(s), secrets)),
    get columns() {
      return stream.columns;
    },
  });
  return { ...io, stdout: mask(io.stdout), stderr: mask(io.stderr) };
}

// Messages carry file names, argv and server text: each is printed on one line, escaped.
function reportError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof ArgsError) {
    io.stderr.write(`slide-illustrate: ${printable(error.message)}\nRun "slide-illustrate --help" for usage.\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(
      `slide-illustrate: ${error.problems.length > 1 ? `${printable(error.message.split(': ')[0]!)}:\n  ${error.problems.map(printable).join('\n  ')}` : printable(error.message)}\n`,
    );
    if (debug) io.stderr.write(stackOf(error));
    return 2;
  }
  if (error instanceof SlideIllustrateError) {
    io.stderr.write(`slide-illustrate: ${printable(error.message)}\n`);
    if (debug) io.stderr.write(stackOf(error));
    return error.exitCode;
  }
  // A bug: one line unless --debug, which shows the stack.
  io.stderr.write(`slide-illustrate: unexpected error: ${printable(messageOf(error))}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug) io.stderr.write(stackOf(error));
  return 1;
}

// --debug's stack, its message line(s) escaped like the message itself (a newline in a file name
// must not start a line of its own there either).
function stackOf(error: unknown): string {
  if (!(error instanceof Error) || !error.stack) return '';
  const head = `${error.name}: ${error.message}`;
  return error.stack.startsWith(head) ? `${printable(head)}${error.stack.slice(head.length)}\n` : `${error.stack}\n`;
}
