// Infomaniak's model catalogue (GET /1/ai/models): what the account can use, which chat model
// "auto" means, and an early, explicit failure for a model that is not there.
import { ConfigError } from '../errors.js';
import { dataList, type HttpClient } from './http.js';
import { DOCUMENTED_IMAGE_MODELS } from '../model/image-api-limits.js';

export interface AiModel {
  /** The id to send as `model`. */
  name: string;
  /** "llm", "image", "embedding", "stt", "reranker" … */
  type: string;
  description: string;
  /** "ready", "coming_soon" or null in practice. */
  infoStatus: string | undefined;
  isBeta: boolean;
  isCoder: boolean;
  /** `prices[]` as the API sends it (see infomaniak-prices.ts). */
  prices: Record<string, unknown>[];
}

export const MODELS_PATH = '/1/ai/models';

// Lists every model the API offers, with its prices (no product id needed; the same free call).
export async function listModels(http: HttpClient, signal?: AbortSignal): Promise<AiModel[]> {
  return http.request({ method: 'GET', path: `${MODELS_PATH}?with=pricing`, signal, validate: readModels });
}

function readModels(body: unknown): AiModel[] {
  return dataList(body, 'models').flatMap((m) => {
    if (typeof m?.['name'] !== 'string') return [];
    const meta = (m['meta'] ?? {}) as Record<string, unknown>;
    return [
      {
        name: m['name'],
        type: String(m['type'] ?? ''),
        description: typeof m['description'] === 'string' ? m['description'] : '',
        infoStatus: typeof m['info_status'] === 'string' ? m['info_status'] : undefined,
        isBeta: meta['is_beta'] === true,
        isCoder: meta['is_coder'] === true,
        prices: Array.isArray(m['prices'])
          ? m['prices'].filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
          : [],
      },
    ];
  });
}

export const llmModels = (models: AiModel[]): AiModel[] => models.filter((m) => m.type === 'llm');

/** Image models usable on the generations route: listed and not announced as "coming soon". */
export const imageModels = (models: AiModel[]): AiModel[] => models.filter((m) => m.type === 'image' && m.infoStatus !== 'coming_soon');

/**
 * The chat model "auto" stands for. Rule: among `llm` models that are not coding models, prefer an
 * instruction-tuned name (`Instruct`, `-it`, `chat`), then `info_status: ready`, then non-beta;
 * ties keep the API's order. Never hard-coded: Infomaniak's roster changes every few months.
 */
export function pickAutoLlm(models: AiModel[]): AiModel | undefined {
  const score = (m: AiModel) =>
    (/instruct|[-_]it(\b|-)|chat/i.test(m.name) ? 4 : 0) + (m.infoStatus === 'ready' ? 2 : 0) + (m.isBeta ? 0 : 1);
  const candidates = llmModels(models).filter((m) => !m.isCoder && !/coder/i.test(m.name));
  let best: AiModel | undefined;
  for (const m of candidates) if (!best || score(m) > score(best)) best = m;
  return best;
}

// The chat model to use: "auto" resolved, an explicit one checked; throws with the available list otherwise.
export function resolveLlmModel(configured: string, models: AiModel[]): string {
  const available = llmModels(models).map((m) => m.name);
  if (configured === 'auto') {
    const picked = pickAutoLlm(models);
    if (!picked)
      throw new ConfigError(
        `llm.model: "auto" found no chat model on this account (GET ${MODELS_PATH} lists ${available.length ? available.join(', ') : 'no LLM'})`,
      );
    return picked.name;
  }
  if (!available.includes(configured)) {
    throw new ConfigError(`llm.model: "${configured}" is not an available LLM; available: ${available.join(', ') || '(none)'}`);
  }
  return configured;
}

export interface ResolvedImageModel {
  model: string;
  /** Set when the model is documented but not listed: the API may have retired it. */
  warning?: string;
}

// The image model to use: listed ones, or the documented flux/sdxl_lightning with a warning when unlisted.
export function resolveImageModel(configured: string, models: AiModel[]): ResolvedImageModel {
  const listed = imageModels(models).map((m) => m.name);
  if (listed.includes(configured)) return { model: configured };
  if ((DOCUMENTED_IMAGE_MODELS as readonly string[]).includes(configured)) {
    return {
      model: configured,
      warning: `image.model: "${configured}" is documented but not listed by GET ${MODELS_PATH}; the API may refuse it (listed: ${listed.join(', ') || 'none'})`,
    };
  }
  throw new ConfigError(`image.model: "${configured}" is not an available image model; available: ${listed.join(', ') || '(none)'}`);
}
