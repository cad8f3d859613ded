// From a PC keyboard event to Spectrum keys (names of KEYS in
// spectrum-core.mjs) or Kempston joystick bits.
//
// Letters and digits go by physical position (event.code), so Shift+A is
// CAPS SHIFT+A as on the Spectrum. A printed punctuation character goes by
// what the PC typed (event.key): `"` is SYMBOL SHIFT+P whatever the layout,
// and the PC's Shift that produced it must not reach the Spectrum as CAPS
// SHIFT (`suppressCaps`).

import { JOY } from '../zx-constants.mjs';

// Symbol-shifted characters as printed in red on the 48K's keys.
export const SYMBOL_KEYS = {
  '!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '&': '6', "'": '7', '(': '8', ')': '9', '_': '0',
  '<': 'R', '>': 'T', ';': 'O', '"': 'P', '^': 'H', '-': 'J', '+': 'K', '=': 'L',
  ':': 'Z', '£': 'X', '?': 'C', '/': 'V', '*': 'B', ',': 'N', '.': 'M',
};

const BY_CODE = {
  Enter: ['ENTER'], NumpadEnter: ['ENTER'], Space: ['SPACE'],
  ShiftLeft: ['CAPS'], ShiftRight: ['CAPS'],
  ControlLeft: ['SYMBOL'], ControlRight: ['SYMBOL'], AltLeft: ['SYMBOL'], AltRight: ['SYMBOL'],
  Backspace: ['CAPS', '0'], Delete: ['CAPS', '0'],
  ArrowLeft: ['CAPS', '5'], ArrowDown: ['CAPS', '6'], ArrowUp: ['CAPS', '7'], ArrowRight: ['CAPS', '8'],
  Escape: ['CAPS', 'SPACE'],       // BREAK
  CapsLock: ['CAPS', '2'],         // CAPS LOCK
};

// In Kempston (or Sinclair) mode the arrows steer and the right-hand
// Ctrl/Alt fire (the left-hand ones stay SYMBOL SHIFT for typing); the
// Spectrum turns the bits into the joystick chosen.
const KEMPSTON_BY_CODE = {
  ArrowRight: JOY.RIGHT, ArrowLeft: JOY.LEFT, ArrowDown: JOY.DOWN, ArrowUp: JOY.UP,
  ControlRight: JOY.FIRE, AltRight: JOY.FIRE,
};

// Returns { keys: [...names], suppressCaps } or { joy: bits } or null when
// the Spectrum has no use for the key (F-keys, Tab...: the browser keeps them).
export function mapKey(event, { joystick = 'cursor' } = {}) {
  const { code, key } = event;
  if (joystick !== 'cursor' && KEMPSTON_BY_CODE[code]) return { joy: KEMPSTON_BY_CODE[code] };
  if (key && key.length === 1 && SYMBOL_KEYS[key]) return { keys: ['SYMBOL', SYMBOL_KEYS[key]], suppressCaps: true };
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return { keys: [m[1]] };
  m = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (m) return { keys: [m[1]] };
  if (BY_CODE[code]) return { keys: BY_CODE[code] };
  return null;
}
