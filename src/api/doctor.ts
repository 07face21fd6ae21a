// `slide-illustrate doctor`: token, product id and models checked with free calls before a paid
// batch. Each check prints a ✓ line; the first failure is thrown to the CLI's error boundary.
import { ConfigError } from '../errors.js';
import { createInfomaniakHttp, infomaniakPaths, listProducts, readInfomaniakEnv } from '../providers/infomaniak.js';
import { listModels, resolveImageModel, resolveLlmModel } from '../providers/infomaniak-models.js';
import { createOpenAiHttp, listModelIds, openaiPaths, readOpenAiEnv, resolveOpenAiLlm } from '../providers/openai-compatible.js';
import type { AccountCommandContext } from './models.js';
import { printable } from '../internal/printable.js';

export const DOCTOR_DONE = 'Ready: no paid call was made.';

// Runs the checks for the chosen provider; returns 0 when all pass.
export async function runDoctor(ctx: AccountCommandContext): Promise<number> {
  if (ctx.kind === 'offline') {
    ctx.out('✓ the offline provider needs no account, token or network');
    return 0;
  }
  if (ctx.kind === 'openai') await checkOpenAi(ctx);
  else await checkInfomaniak(ctx);
  ctx.out(DOCTOR_DONE);
  return 0;
}

async function checkInfomaniak(ctx: AccountCommandContext): Promise<void> {
  const ienv = readInfomaniakEnv(ctx.env);
  ctx.out(`✓ INFOMANIAK_API_TOKEN is set; API at ${printable(ienv.baseUrl)}`);
  const http = createInfomaniakHttp(ienv, ctx.config, ctx.http);
  const products = await listProducts(http);
  ctx.out(`✓ token accepted: GET ${infomaniakPaths.products} lists ${products.length} AI Tools product${products.length === 1 ? '' : 's'}`);
  const list = products.map((p) => printable(`${p.productId} (${p.productName}, ${p.accountName})`)).join(', ') || 'none';
  let id = ienv.productId;
  if (id === undefined) {
    if (products.length !== 1)
      throw new ConfigError(`INFOMANIAK_PRODUCT_ID: not set, and the token sees ${products.length} products; set it to one of: ${list}`);
    id = products[0]!.productId;
  } else if (!products.some((p) => p.productId === id)) {
    throw new ConfigError(`INFOMANIAK_PRODUCT_ID: ${id} is not among this token's AI Tools products: ${list}`);
  }
  await http.request({ method: 'GET', path: infomaniakPaths.productModels(id) });
  ctx.out(
    `✓ product ${printable(String(id))} ${ienv.productId ? '(INFOMANIAK_PRODUCT_ID)' : '(discovered)'} answers GET ${infomaniakPaths.productModels(id)}`,
  );
  const models = await listModels(http);
  const llm = resolveLlmModel(ctx.config.llm.model, models);
  ctx.out(`✓ LLM model ${printable(llm)}${ctx.config.llm.model === 'auto' ? ' (llm.model "auto")' : ''}`);
  const image = resolveImageModel(ctx.config.image.model, models);
  ctx.out(image.warning ? `! ${printable(image.warning)}` : `✓ image model ${printable(image.model)}`);
}

async function checkOpenAi(ctx: AccountCommandContext): Promise<void> {
  const oenv = readOpenAiEnv(ctx.env);
  ctx.out(`✓ OpenAI-compatible server at ${printable(oenv.baseUrl)}${oenv.apiKey ? ', OPENAI_API_KEY is set' : ', no OPENAI_API_KEY'}`);
  const http = createOpenAiHttp(oenv, ctx.config, ctx.http);
  const ids = await listModelIds(http);
  if (!ids) ctx.out(`! the server has no GET ${openaiPaths.models}: the models cannot be checked before a run`);
  else ctx.out(`✓ ${oenv.apiKey ? 'key accepted: ' : ''}GET ${openaiPaths.models} lists ${ids.length} models`);
  const llm = resolveOpenAiLlm(ctx.config.llm.model, ids);
  ctx.out(`✓ LLM model ${printable(llm)}${ctx.config.llm.model === 'auto' ? ' (llm.model "auto")' : ''}`);
  if (ids && !ids.includes(ctx.config.image.model))
    ctx.out(`! image.model "${printable(ctx.config.image.model)}" is not listed by the server; check it serves that model`);
  else if (ids) ctx.out(`✓ image model ${printable(ctx.config.image.model)}`);
}
