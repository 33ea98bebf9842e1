/**
 * Services and core speak no door's language (issue 16): no Kaltura class names or exception texts
 * in src/services or src/core; the Kaltura door names the classes when it maps an error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E, fail } from '../../src/core/errors/index.js';
import { toApiException } from '../../src/http/doors/kaltura/wire/errors.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('neutral services', () => {
  it('no Kaltura class name or KalturaAPIException in the code of src/services and src/core (comments aside)', () => {
    const offenders: string[] = [];
    for (const file of [...sources('src/services'), ...sources('src/core')]) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const trimmed = line.trim();
          if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
          const code = line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
          if (/['"`]Kaltura[A-Z]\w*/.test(code)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("the Kaltura door names a neutral object's class in PROP_NAME and ENUM_TYPE, and in the message", () => {
    const ex = toApiException(fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'user::id' }));
    expect(ex.args).toEqual({ PROP_NAME: 'KalturaUser::id' });
    expect(ex.message).toBe('The property "KalturaUser::id" cannot be null');
    expect(toApiException(fail(E.INVALID_ENUM_VALUE, { ENUM_VAL: 9, PARAM_NAME: 'sessionType', ENUM_TYPE: 'sessionType' })).args).toMatchObject({ ENUM_TYPE: 'KalturaSessionType' });
    // Plain names and names the door already gave stay as they are.
    expect(toApiException(fail(E.PROPERTY_VALIDATION_ADMIN_PROPERTY, { PROP_NAME: 'startDate' })).args).toEqual({ PROP_NAME: 'startDate' });
    expect(toApiException(fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'KalturaEntry::name' })).args).toEqual({ PROP_NAME: 'KalturaEntry::name' });
  });
});
