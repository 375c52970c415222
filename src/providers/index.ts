// The providers layer as the rest of Rozet sees it: build a ChatModel from settings,
// list a provider's models, and the facts and error mapping behind both.
export {
  createChatModel,
  listModels,
  filterModels,
  resolveBaseUrl,
  ProviderConfigError,
  DEFAULT_OLLAMA,
  type ModelSpec,
  type ListingChatModel,
  type HostModels,
} from './factory';
export {
  PROVIDERS,
  capabilitiesFor,
  acceptsTemperature,
  keyHint,
  type ProviderInfo,
  type ListedModel,
  type CapabilityOptions,
} from './catalogue';
export { ModelPools } from './pools';
export { slotDiscovery, type SlotDiscovery } from './slot-discovery';
export { mapHttpFailure, mapTransportError, parseRetryAfter, type HttpFailure, type ErrorContext } from './errors';
export {
  createRoleModel,
  modelSpecForRole,
  taskModelResolver,
  type ModelRole,
  type RoleModelSettings,
} from './models-for-config';
export {
  checkReachable,
  formatHealthReport,
  healthCheck,
  type CheckStatus,
  type HealthCheck,
  type HealthCheckName,
  type HealthOptions,
  type HealthReport,
  type HealthTarget,
  type RoleHealth,
} from './health';
