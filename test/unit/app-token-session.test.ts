/** The pure app-token session decision (protocol §3.3, §3.4 worked hashes). */
import { describe, expect, it } from 'vitest';
import { appTokenHash } from '../../src/core/ks/app-token-hash.js';
import { decideAppTokenSession, mergePrivileges } from '../../src/services/app-tokens/start-session.js';
import type { AppToken } from '../../src/services/model.js';

const KS = 'djJ8MTIzNDV8wC8znfGbjXkZWM7SCav8IEIN9jxE7s72ictIgu-SJo4w2iX4qLAaqzX6686Ncv7oespcYP0ctB6fp0mWE5CO0ew3lh7U-yqvCjFBuw6n0sUOsZobmjPDEcKj0KEJjUgl';
const TOKEN = '0123456789abcdef0123456789abcdef';

const token = (over: Partial<AppToken> = {}): AppToken => ({
  id: '0_abcdefgh',
  partnerId: 12345,
  token: TOKEN,
  hashType: 'SHA1',
  status: 2,
  sessionType: null,
  sessionUserId: null,
  sessionDuration: 86400,
  sessionPrivileges: null,
  expiry: null,
  description: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

describe('app-token hash', () => {
  it('matches the protocol worked examples', () => {
    expect(appTokenHash('SHA1', KS, TOKEN)).toBe('29e7cba5384b7b81c45e94fb9f4151be4206bb6c');
    expect(appTokenHash('SHA256', KS, TOKEN)).toBe('5cc4a39e29405362710868ef9a6084b2ae15f433e8d5dece2d83d9ae479983e1');
    expect(appTokenHash('MD5', KS, TOKEN)).toBe('3f489b07a33fa8b154b1417ebee86670');
  });
});

describe('decideAppTokenSession', () => {
  const req = (over = {}) => ({ tokenHash: appTokenHash('SHA1', KS, TOKEN), userId: '', type: 0, expiry: 0, sessionPrivileges: '', ...over });

  it('refuses inactive tokens, wrong hashes and expired tokens with their codes', () => {
    expect(decideAppTokenSession(token({ status: 1 }), KS, req(), 1000)).toMatchObject({ ok: false, error: { code: 'APP_TOKEN_NOT_ACTIVE' } });
    expect(decideAppTokenSession(token(), KS, req({ tokenHash: 'nope' }), 1000)).toMatchObject({ ok: false, error: { code: 'INVALID_APP_TOKEN_HASH' } });
    expect(decideAppTokenSession(token(), `${KS} `, req(), 1000)).toMatchObject({ ok: false, error: { code: 'INVALID_APP_TOKEN_HASH' } });
    expect(decideAppTokenSession(token({ expiry: 999 }), KS, req(), 1000)).toMatchObject({ ok: false, error: { code: 'APP_TOKEN_EXPIRED' } });
  });

  it('bounds the lifetime and lets the token decide type and user', () => {
    expect(decideAppTokenSession(token({ sessionDuration: 600 }), KS, req({ expiry: 60 }), 1000)).toMatchObject({ ok: true, ttl: 60 });
    expect(decideAppTokenSession(token({ sessionDuration: 600, expiry: 1100 }), KS, req({ expiry: 6000 }), 1000)).toMatchObject({ ok: true, ttl: 100 });
    expect(decideAppTokenSession(token({ sessionType: 2, sessionUserId: 'bot' }), KS, req({ type: 0, userId: 'x' }), 1000)).toMatchObject({ ok: true, type: 2, userId: 'bot' });
    expect(decideAppTokenSession(token(), KS, req({ type: 2, userId: 'x' }), 1000)).toMatchObject({ ok: true, type: 2, userId: 'x' });
  });

  it('merges privileges: reserved and wildcard requests dropped, * narrowed, token ones kept', () => {
    const t = token({ sessionPrivileges: 'setrole:7,download:*,privacycontext:c1' });
    expect(mergePrivileges(t, 'download:0_a,setrole:1,edit:*,widget:1,*,all:*')).toBe('sessionid:0_abcdefgh,apptoken:0_abcdefgh,setrole:7,download:0_a,privacycontext:c1,widget:1');
    expect(mergePrivileges(token(), 'sessionid:x,apptoken:y')).toBe('sessionid:0_abcdefgh,apptoken:0_abcdefgh');
  });
});
