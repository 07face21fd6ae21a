// `slide-illustrate models`: the LLM and image models the account can use, with what "auto" picks.
import type { Config } from '../config/schema.js';
import type { ProviderKind } from '../providers/create-providers.js';
import { createInfomaniakHttp, readInfomaniakEnv } from '../providers/infomaniak.js';
import { imageModels, listModels, llmModels, pickAutoLlm, type AiModel } from '../providers/infomaniak-models.js';
import {
  classifyModelId,
  createOpenAiHttp,
  listModelIds,
  openaiPaths,
  readOpenAiEnv,
  resolveOpenAiLlm,
} from '../providers/openai-compatible.js';
import type { HttpOverrides } from '../providers/provider-http.js';
import { printable } from '../internal/printable.js';

export interface AccountCommandContext {
  /** Without --provider these commands check Infomaniak: that is what they exist for. */
  kind: ProviderKind;
  config: Config;
  env: NodeJS.ProcessEnv;
  http?: HttpOverrides | undefined;
  out: (line: string) => void;
}

// Prints the models, grouped by kind; returns the exit code.
export async function runModels(ctx: AccountCommandContext): Promise<number> {
  if (ctx.kind === 'offline') {
    ctx.out('The offline provider uses no models: prompts are written locally and pictures are abstract art.');
    return 0;
  }
  if (ctx.kind === 'openai') {
    const http = createOpenAiHttp(readOpenAiEnv(ctx.env), ctx.config, ctx.http);
    const ids = await listModelIds(http);
    if (!ids) {
      ctx.out(`This server has no GET ${openaiPaths.models}; set llm.model and image.model to what it serves.`);
      return 0;
    }
    const auto = ids.some((id) => classifyModelId(id) === 'llm') ? resolveOpenAiLlm('auto', ids) : undefined;
    printGroup(
      ctx.out,
      `LLM models${auto ? ` (llm.model "auto" picks ${printable(auto)})` : ''}`,
      ids.filter((id) => classifyModelId(id) === 'llm').map((id) => [id, '']),
    );
    printGroup(
      ctx.out,
      'Image models (guessed from their names)',
      ids.filter((id) => classifyModelId(id) === 'image').map((id) => [id, '']),
    );
    return 0;
  }
  const http = createInfomaniakHttp(readInfomaniakEnv(ctx.env), ctx.config, ctx.http);
  const models = await listModels(http);
  const auto = pickAutoLlm(models);
  const row = (m: AiModel): [string, string] => [
    m.name,
    [m.description, m.infoStatus && `[${m.infoStatus}]`, m.isBeta && '[beta]'].filter(Boolean).join(' '),
  ];
  printGroup(ctx.out, `LLM models${auto ? ` (llm.model "auto" picks ${printable(auto.name)})` : ''}`, llmModels(models).map(row));
  printGroup(ctx.out, 'Image models', imageModels(models).map(row));
  return 0;
}

function printGroup(out: (line: string) => void, heading: string, rows: [string, string][]): void {
  out(`${heading}:`);
  if (!rows.length) out('  (none)');
  // Model names and descriptions are the server's text.
  const shown = rows.map(([name, about]) => [printable(name), printable(about)] as const);
  const width = Math.max(0, ...shown.map(([name]) => name.length));
  for (const [name, about] of shown) out(`  ${about ? `${name.padEnd(width)}  ${about}` : name}`);
}
