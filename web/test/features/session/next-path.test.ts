import { describe, expect, it } from 'vitest';

import { safeNextPath, signInPath } from '@/features/session/lib/next-path';

describe('where signing in leads', () => {
  it('keeps a path of this dashboard with its query string', () => {
    expect(safeNextPath('/events?range=6h&service=chat&code=1011,1013&label=region:eu&live=0')).toBe(
      '/events?range=6h&service=chat&code=1011,1013&label=region:eu&live=0',
    );
    expect(safeNextPath('/?from=2026-11-26T09:00:00Z&to=2026-11-26T10:00:00Z')).toBe('/?from=2026-11-26T09:00:00Z&to=2026-11-26T10:00:00Z');
    expect(safeNextPath('/nope')).toBe('/nope');
  });

  it('goes to the overview instead of another origin, a script or the sign-in page', () => {
    const refused = [
      null,
      '',
      'events',
      'https://evil.example/',
      '//evil.example/events',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      ' /events',
      '/sign-in',
      '/sign-in?next=%2Fevents',
      '/sign-in/',
    ];
    expect(refused.map((next) => safeNextPath(next))).toEqual(refused.map(() => '/'));
  });

  it('writes the sign-in link with the wanted page encoded, and none for the overview', () => {
    expect(signInPath('/events?range=15m&code=1006')).toBe('/sign-in?next=%2Fevents%3Frange%3D15m%26code%3D1006');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});
