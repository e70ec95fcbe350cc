import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_LIMITS } from '../src/event-limits.js';
import { userAgentFamily } from '../src/user-agent-family.js';

// Real user agents, as browsers and client libraries send them.
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome 131'],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome 131'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', 'Chrome 131'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36', 'Chrome 130'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36', 'HeadlessChrome 131'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox 133'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15', 'Firefox 133'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', 'Safari 17'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'Safari 18'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86', 'Edge 131'],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.2903.87', 'Edge 131'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0', 'Opera 115'],
  ['Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', 'Samsung Internet 26'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.137 Electron/33.2.0 Safari/537.36', 'Electron 33'],
  ['Python/3.11 websockets/13.0', 'Python websockets 13'],
  ['Python/3.12 websockets/14.1', 'Python websockets 14'],
  ['Python/3.11 aiohttp/3.9.1', 'Python aiohttp 3'],
  ['Python/3.11', 'Python 3'],
  ['okhttp/4.12.0', 'okhttp 4'],
  ['Go-http-client/1.1', 'Go-http-client 1'],
  ['ws/8.18.0', 'ws 8'],
  ['curl/8.5.0', 'curl 8'],
  ['Java-http-client/17.0.9', 'Java-http-client 17'],
  ['Dart/3.2 (dart:io)', 'Dart 3'],
  ['node', 'node'],
  ['CFNetwork/1496.0.7 Darwin/23.5.0', 'CFNetwork 1496'],
];

test('real user agents become their family and major version', () => {
  for (const [ua, family] of CASES) assert.equal(userAgentFamily(ua), family, ua);
});

test('crawlers and unknown browsers, garbage and missing user agents are "other"', () => {
  assert.equal(userAgentFamily('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'), 'other');
  assert.equal(userAgentFamily('Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko'), 'other');
  assert.equal(userAgentFamily(''), 'other');
  assert.equal(userAgentFamily('   '), 'other');
  assert.equal(userAgentFamily('(no product)'), 'other');
  assert.equal(userAgentFamily(undefined), 'other');
  assert.equal(userAgentFamily(null), 'other');
});

test('the result stays within 64 characters; versions without digits or with absurd digits are left out', () => {
  const long = `${'x'.repeat(100)}/1.0`;
  assert.equal(EVENT_LIMITS.clientAgentLength, 64);
  assert.equal(userAgentFamily(long), 'x'.repeat(64));
  assert.equal(userAgentFamily('okhttp/alpha'), 'okhttp');
  assert.equal(userAgentFamily('okhttp/04.1'), 'okhttp 4');
  assert.equal(userAgentFamily('okhttp/12345678901.0'), 'okhttp');
  assert.equal(userAgentFamily('  okhttp/4.12.0  '), 'okhttp 4');
});
