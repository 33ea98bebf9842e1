/** HeaderPicker: the forward-auth doors' one-pass read of the request headers they use. */
import { describe, expect, it } from 'vitest';
import { HeaderPicker } from '../../src/http/pick-headers.js';

const picker = new HeaderPicker(['x-api-key', 'x-real-ip', 'authorization']);
const pick = (...raw: unknown[]) => picker.pick({ rawHeaders: raw as string[] });

describe('HeaderPicker', () => {
  it('reads the names asked for, in any case, in the order asked', () => {
    expect(pick('Host', 'h', 'X-API-Key', 'k1', 'AUTHORIZATION', 'Bearer t')).toEqual(['k1', undefined, 'Bearer t']);
    // Same length as x-api-key: told apart by name, not length.
    expect(pick('x-real-ip', '10.0.0.1', 'x-api-kez', 'nope')).toEqual([undefined, '10.0.0.1', undefined]);
    expect(pick()).toEqual([undefined, undefined, undefined]);
  });

  it('a name sent more than once is null, whatever the values and however often', () => {
    expect(pick('x-api-key', 'a', 'X-Api-Key', 'a')).toEqual([null, undefined, undefined]);
    expect(pick('authorization', 'Basic x', 'x-api-key', 'k', 'Authorization', 'Bearer t', 'authorization', 'Bearer u')).toEqual(['k', undefined, null]);
    // An empty value is a value: sent twice it is still a repeat.
    expect(pick('x-real-ip', '', 'x-real-ip', '')).toEqual([undefined, null, undefined]);
  });

  it('a value that is not one string (an injected repeated header) reads as a repeat', () => {
    expect(pick('x-api-key', ['a', 'b'])).toEqual([null, undefined, undefined]);
  });

  it('keeps a value containing ", " whole (one header, one value)', () => {
    expect(pick('x-api-key', 'a, b')).toEqual(['a, b', undefined, undefined]);
  });

  it('refuses names that are not lower case (they could never match)', () => {
    expect(() => new HeaderPicker(['X-Api-Key'])).toThrow(/lower case/);
  });
});
