import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRoute } from '../src/default-route.js';

function expectRoutes(cases: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [input, expected] of cases) assert.equal(defaultRoute(input), expected, input);
}

test('drops the query string and fragment, keeps ordinary paths as they are', () => {
  expectRoutes([
    ['/', '/'],
    ['/ws', '/ws'],
    ['/chat/general?room=1', '/chat/general'],
    ['/chat#top', '/chat'],
    ['/?x=1', '/'],
    ['/a//b/', '/a//b/'],
    ['/socket.io/', '/socket.io/'],
    ['/v2/feed', '/v2/feed'],
    ['/very-long-lowercase-route-name/x', '/very-long-lowercase-route-name/x'],
    ['/getUserNotificationSettings', '/getUserNotificationSettings'],
    ['/facade/cafe', '/facade/cafe'],
    ['/user@example.com', '/user@example.com'],
    ['wss://example.com/live/feed?t=1', '/live/feed'],
    ['http://proxy.example:8080/chat', '/chat'],
    ['wss://example.com', '/'],
    ['wss://example.com?x=/y', '/'],
    ['wss://example.com#/y', '/'],
    ['', undefined],
    ['chat', undefined],
    ['://x/y', undefined],
  ]);
});

test('replaces id segments with :id', () => {
  expectRoutes([
    ['/rooms/123?token=abc', '/rooms/:id'],
    ['/rooms/123/', '/rooms/:id/'],
    ['/0', '/:id'],
    ['/users/42/rooms/7', '/users/:id/rooms/:id'],
    ['/s/3f2b9c1e-8a4d-4f6b-9c2e-1a2b3c4d5e6f', '/s/:id'],
    ['/s/3F2B9C1E-8A4D-4F6B-9C2E-1A2B3C4D5E6F/events', '/s/:id/events'],
    ['/blobs/9f86d081884c7d65', '/blobs/:id'],
    ['/blobs/deadbeef', '/blobs/:id'],
    ['/o/507f1f77bcf86cd799439011', '/o/:id'],
    ['/join/inv-2024-abcdefghijkl', '/join/:id'],
    ['/t/xKqPzRmWbTnLcVhJdYfG', '/t/:id'],
    ['/jwt/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-x', '/jwt/:id'],
    ['/t/a1b2c3d4e5f6g7h8i9j0k?x#y', '/t/:id'],
    ['wss://example.com/rooms/123/chat?token=abc#f', '/rooms/:id/chat'],
    ['/123#frag', '/:id'],
  ]);
});

test('the thresholds: 8 hex characters, 20-character tokens, a quarter of each case', () => {
  expectRoutes([
    ['/c/abcdef1', '/c/abcdef1'],
    ['/c/abcdef12', '/c/:id'],
    ['/t/a1b2c3d4e5f6g7h8i9j', '/t/a1b2c3d4e5f6g7h8i9j'],
    ['/t/a1b2c3d4e5f6g7h8i9jk', '/t/:id'],
    ['/release-notes-v2', '/release-notes-v2'],
    ['/ABCDEFGHIJKLMNOPQRSTUVWXYZ', '/ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    // 20 letters: 4 upper-case ones are under a quarter, 5 are not.
    ['/abcdefghijklmnOPQRst', '/abcdefghijklmnOPQRst'],
    ['/abcdefghijklmNOPQRst', '/:id'],
  ]);
});
