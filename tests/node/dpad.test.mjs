// The touch d-pad's geometry (web/ui/dpad.mjs): a finger's angle from the
// pad's centre picks one of eight directions; near the centre, none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directionBits } from '../../web/ui/dpad.mjs';
import { JOY } from '../../web/zx-constants.mjs';

const R = 100;
const at = (deg, dist = 0.7) => {
  const a = (deg * Math.PI) / 180;
  // screen y grows downwards
  return directionBits(Math.cos(a) * R * dist, -Math.sin(a) * R * dist, R);
};

test('the eight directions, counter-clockwise from right', () => {
  assert.equal(at(0), JOY.RIGHT);
  assert.equal(at(45), JOY.UP | JOY.RIGHT);
  assert.equal(at(90), JOY.UP);
  assert.equal(at(135), JOY.UP | JOY.LEFT);
  assert.equal(at(180), JOY.LEFT);
  assert.equal(at(225), JOY.DOWN | JOY.LEFT);
  assert.equal(at(270), JOY.DOWN);
  assert.equal(at(315), JOY.DOWN | JOY.RIGHT);
});

test('each direction covers 45 degrees: the boundaries sit at 22.5 degrees either side', () => {
  assert.equal(at(22), JOY.RIGHT);
  assert.equal(at(23), JOY.UP | JOY.RIGHT);
  assert.equal(at(-22), JOY.RIGHT);
  assert.equal(at(-23), JOY.DOWN | JOY.RIGHT);
  assert.equal(at(179), JOY.LEFT);
  assert.equal(at(181), JOY.LEFT);
  assert.equal(at(112), JOY.UP);
  assert.equal(at(113), JOY.UP | JOY.LEFT);
});

test('the centre is a dead zone; beyond the rim a sliding thumb still steers', () => {
  assert.equal(at(90, 0.1), 0);
  assert.equal(directionBits(0, 0, R), 0);
  assert.equal(at(90, 0.3), JOY.UP);
  assert.equal(at(0, 1.5), JOY.RIGHT);
});
