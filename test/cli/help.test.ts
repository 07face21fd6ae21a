// `slide-illustrate --help` and `<command> --help` show each command's examples.
import { describe, expect, it } from 'vitest';
import { EXAMPLES, parseArgs } from '../../src/cli/args.js';
import { runCli } from '../helpers/run-cli.js';

/** True when `words` appear in `text` in this order (yargs wraps long examples over two columns). */
function inOrder(text: string, words: string[]): boolean {
  const all = text.split(/\s+/);
  let i = 0;
  for (const w of all) if (w === words[i]) i++;
  return i === words.length;
}

const words = (s: string) => s.replace('$0', 'slide-illustrate').split(/\s+/);

describe('help', () => {
  it.each(Object.entries(EXAMPLES))('%s --help lists its examples', async (command, examples) => {
    const { args, output } = await parseArgs(command === 'illustrate' ? ['--help'] : [command, '--help']);
    expect(args).toBeUndefined();
    const section = output.slice(output.indexOf('Examples:'));
    expect(section.length).toBeGreaterThan('Examples:'.length);
    for (const [cmd, what] of examples) {
      expect(inOrder(section, words(cmd)), cmd).toBe(true);
      expect(inOrder(section, words(what)), what).toBe(true);
    }
  });

  it('the main help lists every command, and prints on stdout with exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['schedule', 'cache', 'models', 'doctor', 'init'])
      expect(run.stdout).toMatch(new RegExp(`^ {2}slide-illustrate ${command} `, 'm'));
    for (const flag of ['--dry-run', '--max-images', '--yes', '--quiet', '--verbose']) expect(run.stdout).toContain(flag);
  });

  it('a command help shows its own examples, not the others', async () => {
    const { output } = await parseArgs(['cache', '--help']);
    expect(output).toContain('--prune-older-than 30d');
    expect(output).not.toContain('--dry-run');
  });
});
