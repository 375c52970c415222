// The zod schema and package.json `contributes.configuration` must describe the same
// settings: same keys, types, defaults, enums and ranges. This test is what stops drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROVIDER_NAMES } from '../../src/core/model/chat';
import {
  defaultValue,
  isPowerSetting,
  POWER_SETTINGS,
  RozetConfigSchema,
  SETTING_KEYS,
  settingSchemas,
  type SettingKey,
} from '../../src/config';

interface ManifestSetting {
  type: string;
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  items?: { type: string };
  scope?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ManifestSetting> } };
};
const properties = manifest.contributes.configuration.properties;

describe('config schema ↔ package.json', () => {
  it('has exactly the same keys', () => {
    assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(properties).sort());
  });

  for (const key of Object.keys(properties)) {
    it(`${key}: type, default, enum, minimum, maximum and items agree`, () => {
      const fromManifest = properties[key];
      const fromZod = z.toJSONSchema(settingSchemas[key as SettingKey], { io: 'input' }) as ManifestSetting;
      // The schema may insist on whole numbers where VS Code's manifest says "number".
      const zodType = fromZod.type === 'integer' ? 'number' : fromZod.type;
      assert.equal(zodType, fromManifest.type === 'integer' ? 'number' : fromManifest.type);
      assert.deepEqual(fromZod.default, fromManifest.default);
      assert.deepEqual(fromZod.enum, fromManifest.enum);
      assert.equal(fromZod.minimum, fromManifest.minimum);
      assert.equal(fromZod.maximum, fromManifest.maximum);
      assert.equal(fromZod.items?.type, fromManifest.items?.type);
    });
  }

  it('every manifest default passes the schema unchanged', () => {
    for (const [key, setting] of Object.entries(properties)) {
      assert.deepEqual(settingSchemas[key as SettingKey].parse(setting.default), setting.default, key);
      assert.deepEqual(defaultValue(key as SettingKey), setting.default, key);
    }
  });

  it('parses an empty object into every default', () => {
    const all = RozetConfigSchema.parse({});
    for (const key of SETTING_KEYS) assert.deepEqual(all[key], properties[key].default, key);
  });

  it('offers exactly the providers core knows', () => {
    for (const key of ['rozet.orchestrator.provider', 'rozet.worker.provider'] as const) {
      const shape = z.toJSONSchema(settingSchemas[key]) as ManifestSetting;
      assert.deepEqual([...(shape.enum ?? [])].sort(), [...PROVIDER_NAMES].sort());
    }
  });

  it('marks every power setting application- or machine-scoped in the manifest, and only those', () => {
    assert.deepEqual([...POWER_SETTINGS].sort(), [
      'rozet.autoRun',
      'rozet.bash.allowlist',
      'rozet.bash.approval',
      'rozet.bash.network',
      'rozet.bash.sandbox',
      'rozet.mcp.allow',
      'rozet.mcp.configFile',
      'rozet.mcp.enabled',
      'rozet.write.approval',
    ]);
    for (const key of SETTING_KEYS) {
      const userOnly = properties[key].scope === 'application' || properties[key].scope === 'machine';
      assert.equal(userOnly, isPowerSetting(key), key);
    }
  });
});
