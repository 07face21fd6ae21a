// The account commands' API: which models a backend offers, and whether a paid run would be
// accepted, checked with free calls only. Each writes its lines through `out`.
export { runModels, type AccountCommandContext } from './models.js';
export { DOCTOR_DONE, runDoctor } from './doctor.js';
export { PROVIDER_KINDS, type ProviderKind } from '../providers/create-providers.js';
export type { HttpOverrides } from '../providers/provider-http.js';
