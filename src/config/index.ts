// Public surface of the config layer for the extension and the CLI.
export {
  apiKeyEnvNames,
  keySourceLabel,
  resolveApiKey,
  type ApiKeyInputs,
  type ApiKeySource,
  type ResolvedApiKey,
} from './api-keys';
export { baseUrlIssue, effectiveBaseUrl, keyAllowedFor, normaliseBaseUrl, redactUrl } from './base-url';
export { describeConfig, type DescribeExtras } from './describe';
export { DOTENV_FILE, parseDotenv } from './dotenv-source';
export { envName, parseTextValue } from './env-names';
export { MAX_CONFIG_FILE_BYTES, readWorkspaceConfigFiles, type WorkspaceConfigFiles } from './files';
export type { ConfigProblem, ValueSource } from './problems';
export {
  baseUrlNeedsConfirmation,
  endpointsNeedConfirmation,
  resolveConfig,
  ROLES,
  type ExplicitScope,
  type ExplicitValue,
  type ResolvedConfig,
  type ResolveInput,
  type Role,
} from './resolve';
export {
  defaultValue,
  describeAllowed,
  isPowerSetting,
  isSettingKey,
  POWER_SETTINGS,
  RozetConfigSchema,
  SETTING_KEYS,
  settingSchemas,
  type RozetConfig,
  type SettingKey,
} from './schema';
export { YAML_FILE } from './yaml-source';
export {
  plannerSettingsFromConfig,
  runLimitsFromConfig,
  sandboxSettingsFromConfig,
  toolPolicyFromConfig,
} from './run-settings';
