import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATEGORY_LABELS,
  categoryCodeRanges,
  CLOSE_CATEGORIES,
  describeCloseCode,
  formatCloseCode,
  isAbnormalClose,
  isCloseCategory,
  isCloseCodeInteger,
  isNameableCode,
  MAX_CLOSE_CODE,
  MIN_CLOSE_CODE,
  STANDARD_CODES,
  type CloseCategory,
} from '../src/close-codes.js';

// code, name, shortName, category, onWire, sentBy
const TABLE: ReadonlyArray<[number, string, string, CloseCategory, boolean, string]> = [
  [1000, 'Normal Closure', 'Normal', 'normal', true, 'either'],
  [1001, 'Going Away', 'Away', 'going-away', true, 'either'],
  [1002, 'Protocol Error', 'Protocol', 'client-error', true, 'either'],
  [1003, 'Unsupported Data', 'Unsupported', 'client-error', true, 'either'],
  [1004, 'Reserved', 'Other', 'reserved', false, 'nobody'],
  [1005, 'No Status Received', 'Status', 'normal', false, 'local'],
  [1006, 'Abnormal Closure', 'Abnormal', 'abnormal', false, 'local'],
  [1007, 'Invalid Frame Payload Data', 'Invalid', 'client-error', true, 'either'],
  [1008, 'Policy Violation', 'Policy', 'client-error', true, 'server'],
  [1009, 'Message Too Big', 'Size', 'client-error', true, 'either'],
  [1010, 'Mandatory Extension', 'Extension', 'client-error', true, 'client'],
  [1011, 'Internal Error', 'Error', 'server-error', true, 'server'],
  [1012, 'Service Restart', 'Restart', 'overload', true, 'server'],
  [1013, 'Try Again Later', 'Again', 'overload', true, 'server'],
  [1014, 'Bad Gateway', 'Other', 'server-error', true, 'server'],
  [1015, 'TLS Handshake', 'Tls', 'tls', false, 'local'],
];

test('the standard table, 1000-1015', () => {
  assert.deepEqual(STANDARD_CODES, TABLE.map(([code]) => code));
  for (const [code, name, shortName, category, onWire, sentBy] of TABLE) {
    const info = describeCloseCode(code);
    assert.deepEqual(
      { code: info.code, name: info.name, shortName: info.shortName, category: info.category, range: info.range, onWire: info.onWire, sentBy: info.sentBy },
      { code, name, shortName, category, range: 'standard', onWire, sentBy },
      String(code),
    );
    assert.ok(info.meaning.length > 10 && info.hint.length > 10, `${code} has a meaning and a hint`);
    assert.ok(Object.isFrozen(info));
    assert.equal(describeCloseCode(code), info, 'cached');
  }
});

test('onWire is false exactly for 1004, 1005, 1006 and 1015 among 1000-1015', () => {
  assert.deepEqual(STANDARD_CODES.filter((code) => !describeCloseCode(code).onWire), [1004, 1005, 1006, 1015]);
});

test('every range edge', () => {
  const edges: Array<[number | null, string, string, CloseCategory, string, boolean]> = [
    [null, 'No Code', 'Empty', 'normal', 'none', false],
    [0, 'Unused', 'Other', 'invalid', 'unused', false],
    [999, 'Unused', 'Other', 'invalid', 'unused', false],
    [1000, 'Normal Closure', 'Normal', 'normal', 'standard', true],
    [1015, 'TLS Handshake', 'Tls', 'tls', 'standard', false],
    [1016, 'Reserved for the protocol', 'Other', 'reserved', 'protocol-reserved', false],
    [2999, 'Reserved for the protocol', 'Other', 'reserved', 'protocol-reserved', false],
    [3000, 'Unauthorized', 'Other', 'application', 'registered', true],
    [3001, 'Registered (library/framework)', 'Other', 'application', 'registered', true],
    [3003, 'Forbidden', 'Other', 'application', 'registered', true],
    [3008, 'Timeout', 'Other', 'application', 'registered', true],
    [3999, 'Registered (library/framework)', 'Other', 'application', 'registered', true],
    [4000, 'Private (application)', 'Other', 'application', 'private', true],
    [4999, 'Private (application)', 'Other', 'application', 'private', true],
    [5000, 'Invalid', 'Other', 'invalid', 'invalid', false],
    [65535, 'Invalid', 'Other', 'invalid', 'invalid', false],
  ];
  for (const [code, name, shortName, category, range, onWire] of edges) {
    const info = describeCloseCode(code);
    assert.deepEqual([info.code, info.name, info.shortName, info.category, info.range, info.onWire], [code, name, shortName, category, range, onWire], String(code));
  }
  assert.equal(describeCloseCode(undefined), describeCloseCode(null));
  assert.equal(MIN_CLOSE_CODE, 0);
  assert.equal(MAX_CLOSE_CODE, 65535);
});

test('out-of-range and non-integer codes throw RangeError', () => {
  for (const bad of [-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => describeCloseCode(bad), {
      name: 'RangeError',
      message: `close code must be an integer from 0 to 65535 or null, got ${String(bad)}`,
    });
    assert.throws(() => formatCloseCode(bad), RangeError);
    assert.equal(isCloseCodeInteger(bad), false);
  }
  assert.equal(isCloseCodeInteger('1000'), false);
  assert.equal(isCloseCodeInteger(0), true);
  assert.equal(isCloseCodeInteger(65535), true);
});

test('categoryCodeRanges: exact ranges, and consistent with describeCloseCode for every code', () => {
  const expected: Record<CloseCategory, { ranges: Array<[number, number]>; includesNoCode: boolean }> = {
    normal: { ranges: [[1000, 1000], [1005, 1005]], includesNoCode: true },
    'going-away': { ranges: [[1001, 1001]], includesNoCode: false },
    abnormal: { ranges: [[1006, 1006]], includesNoCode: false },
    'client-error': { ranges: [[1002, 1003], [1007, 1010]], includesNoCode: false },
    'server-error': { ranges: [[1011, 1011], [1014, 1014]], includesNoCode: false },
    overload: { ranges: [[1012, 1013]], includesNoCode: false },
    tls: { ranges: [[1015, 1015]], includesNoCode: false },
    application: { ranges: [[3000, 4999]], includesNoCode: false },
    reserved: { ranges: [[1004, 1004], [1016, 2999]], includesNoCode: false },
    invalid: { ranges: [[0, 999], [5000, 65535]], includesNoCode: false },
  };
  const categoryOf = Array.from({ length: MAX_CLOSE_CODE + 1 }, (_, code) => describeCloseCode(code).category);
  const covered = new Array<number>(MAX_CLOSE_CODE + 1).fill(0);
  for (const category of CLOSE_CATEGORIES) {
    const result = categoryCodeRanges(category);
    assert.deepEqual(result, { ...expected[category], include: [], exclude: [] }, category);
    for (const [lo, hi] of result.ranges) {
      for (let code = lo; code <= hi; code++) {
        assert.equal(categoryOf[code], category, `code ${code}`);
        covered[code] = (covered[code] ?? 0) + 1;
      }
    }
    assert.equal(result.includesNoCode, describeCloseCode(null).category === category);
  }
  assert.ok(covered.every((n) => n === 1), 'every code is in exactly one category range');
});

test('categoryCodeRanges: codes a team named follow the category it gave them', () => {
  const own = (category: CloseCategory) => ({ name: 'x', meaning: '', category, retry: false, alertWorthy: false });
  const custom = new Map([
    [4001, own('server-error')],
    [4002, own('application')],
    [3008, own('overload')],
    [4500, own('overload')],
  ]);
  const overload = categoryCodeRanges('overload', custom);
  assert.deepEqual(overload, { ranges: [[1012, 1013]], includesNoCode: false, include: [3008, 4500], exclude: [] });
  const application = categoryCodeRanges('application', custom);
  assert.deepEqual(application, { ranges: [[3000, 4999]], includesNoCode: false, include: [], exclude: [3008, 4001, 4500] });
  assert.deepEqual(categoryCodeRanges('server-error', custom).include, [4001]);
  // Every code is still in exactly one category, and it is the one describeCloseCode gives.
  for (const code of [1011, 1012, 3000, 3008, 4001, 4002, 4500, 4999]) {
    const homes = CLOSE_CATEGORIES.filter((category) => {
      const r = categoryCodeRanges(category, custom);
      const inRanges = r.ranges.some(([lo, hi]) => code >= lo && code <= hi);
      return (inRanges && !r.exclude.includes(code)) || r.include.includes(code);
    });
    assert.deepEqual(homes, [describeCloseCode(code, custom).category], `code ${code}`);
  }
});

test('formatCloseCode, isAbnormalClose, isCloseCategory, labels', () => {
  assert.equal(formatCloseCode(1011), '1011 Internal Error (Error)');
  assert.equal(formatCloseCode(1000), '1000 Normal Closure (Normal)');
  assert.equal(formatCloseCode(4001), '4001 Private (application)');
  assert.equal(formatCloseCode(1004), '1004 Reserved');
  assert.equal(formatCloseCode(null), 'No Code (Empty)');
  assert.deepEqual(
    [1000, 1001, 1005, 1006, 1008, 1011, 1013, 1014, 4000, null].map((code) => isAbnormalClose(code)),
    [false, false, false, true, false, true, false, true, false, false],
  );
  assert.equal(isCloseCategory('overload'), true);
  assert.equal(isCloseCategory('Overload'), false);
  assert.equal(isCloseCategory(3), false);
  assert.deepEqual(Object.keys(CATEGORY_LABELS), [...CLOSE_CATEGORIES]);
  assert.equal(CATEGORY_LABELS.abnormal, 'Abnormal (no close frame)');
});

test('a team\'s own names apply to 3000-4999 only, over the registry', () => {
  const own = new Map([
    [4001, { name: 'Room closed', meaning: 'The chat room was closed by its owner.', category: 'normal' as const, retry: false, alertWorthy: false }],
    [3008, { name: 'Idle kick', meaning: '', category: 'application' as const, retry: true, alertWorthy: true }],
    [1011, { name: 'Not allowed', meaning: '', category: 'normal' as const, retry: true, alertWorthy: false }],
  ]);
  const room = describeCloseCode(4001, own);
  assert.deepEqual(
    [room.name, room.shortName, room.category, room.range, room.meaning, room.custom, room.retry, room.alertWorthy],
    ['Room closed', 'Other', 'normal', 'private', 'The chat room was closed by its owner.', true, false, false],
  );
  assert.equal(formatCloseCode(4001, own), '4001 Room closed');
  assert.equal(describeCloseCode(3008, own).meaning, describeCloseCode(3008).meaning, 'an empty meaning keeps the registry\'s');
  assert.equal(formatCloseCode(1011, own), '1011 Internal Error (Error)', 'RFC codes cannot be renamed');
  assert.equal(formatCloseCode(4002, own), '4002 Private (application)');
  assert.equal(describeCloseCode(4001).custom, undefined);
  assert.equal(isNameableCode(2999), false);
  assert.equal(isNameableCode(3000), true);
  assert.equal(isNameableCode(4999), true);
  assert.equal(isNameableCode(5000), false);
});
