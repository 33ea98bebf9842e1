/** Gatehouse configuration: one typed, documented, validated object (STYLE.md rule 8). */
export { loadConfig, describeConfig, devDefaultsInUse, configForLog, ConfigError } from './load.js';
export type { LoadConfigOptions, ConfigDoc, ConfigSource } from './load.js';
export { CONFIG_SCHEMA, LOG_LEVELS, maskUrlPassword, publicUrlOf } from './schema.js';
export type { GatehouseConfig, ConfigKey, ConfigEntry, ConfigType, LogLevel } from './schema.js';
