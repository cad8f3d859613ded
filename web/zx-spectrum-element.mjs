// <zx-spectrum>: the embedding API as an HTML element.
//
//   <script type="module" src="web/zx-spectrum-element.mjs"></script>
//   <zx-spectrum src="game.tap" machine="128k"></zx-spectrum>
//
// Attributes: src (a file to load; changing it loads the new one), machine
// ('48k' default, '128k', 'plus2', 'plus2a', 'plus3', 'pentagon'; changing
// it switches the model; an unknown one fires 'error'), stereo ('abc',
// 'acb', 'mono'), jit ("off" to run the interpreter only), compile ("sync":
// the compiler inside the frame instead of its own Worker), sound ("off"),
// stats (present: statistics overlay), smooth (present: filtered scaling),
// keyboard ("onscreen": show the touch keyboard), joystick ("kempston" or
// "sinclair"; the arrows, gamepads and touch d-pad drive it).
// The element forwards the Spectrum's events (ready, load, error,
// statistics, pause, resume, jit, machine, typed, controls) and its methods; `.spectrum` is
// the underlying object of createSpectrum(). Nothing here throws out of the
// element's callbacks: problems arrive as 'error' events.
import { createSpectrum } from './spectrum.mjs';

const FORWARDED = ['ready', 'load', 'error', 'statistics', 'pause', 'resume', 'jit', 'machine', 'typed', 'controls'];

export class ZxSpectrumElement extends HTMLElement {
  static get observedAttributes() { return ['src', 'stats', 'smooth', 'machine', 'stereo']; }

  connectedCallback() {
    if (this.spectrum) return;
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = ':host { display: block; } :host([hidden]) { display: none; }';
      this.box = document.createElement('div');
      shadow.append(style, this.box);
    }
    const attr = (name) => this.getAttribute(name);
    try {
      this.spectrum = createSpectrum(this.box, {
        src: attr('src') || undefined,
        machine: attr('machine') || '48k',
        stereo: attr('stereo') || undefined,
        jit: attr('jit') !== 'off',
        compile: attr('compile') === 'sync' ? 'sync' : 'async',
        sound: attr('sound') !== 'off',
        stats: this.hasAttribute('stats'),
        smooth: this.hasAttribute('smooth'),
        onScreenKeyboard: attr('keyboard') === 'onscreen' ? true : undefined,
        joystick: attr('joystick') ?? 'cursor',
      });
    } catch (e) {
      this.spectrum = null;
      this.reportError(e);
      return;
    }
    for (const type of FORWARDED) {
      this.spectrum.addEventListener(type, (e) => this.dispatchEvent(new CustomEvent(type, { detail: e.detail })));
    }
  }

  disconnectedCallback() {
    this.spectrum?.destroy();
    this.spectrum = null;
    this.box?.replaceChildren();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.spectrum || old === value) return;
    try {
      // The Spectrum reports its own failures as 'error' (forwarded); the
      // promises are only caught here so that none goes unhandled.
      if (name === 'src' && value) this.spectrum.load(value).catch(() => {});
      if (name === 'machine') this.spectrum.setMachine(value || '48k').catch(() => {});
      if (name === 'stereo') this.spectrum.stereo = value || 'abc';
      if (name === 'stats') this.spectrum.showStats = value !== null;
      if (name === 'smooth') this.spectrum.smooth = value !== null;
    } catch (e) {
      this.reportError(e);
    }
  }

  // Asynchronous, so listeners added right after the element was created hear it.
  reportError(e) {
    queueMicrotask(() => this.dispatchEvent(new CustomEvent('error', { detail: { message: e.message } })));
  }

  // Not in the document, or it failed to start: the methods fire 'error'
  // and do nothing (those that return promises reject), never throw.
  _running(what) {
    if (this.spectrum) return this.spectrum;
    this.reportError(new Error(`${what}: this <zx-spectrum> is not running (${this.isConnected ? 'it failed to start' : 'it is not in the document'})`));
    return null;
  }
  _call(what, fn) {
    const s = this._running(what);
    if (!s) return Promise.reject(new Error(`${what}: this <zx-spectrum> is not running`));
    try {
      return Promise.resolve(fn(s));
    } catch (e) {
      this.reportError(e);
      return Promise.reject(e);
    }
  }
  _do(what, fn) {
    const s = this._running(what);
    if (!s) return undefined;
    try {
      return fn(s);
    } catch (e) {
      this.reportError(e);
      return undefined;
    }
  }

  get ready() { return this.spectrum ? this.spectrum.ready : Promise.reject(new Error('this <zx-spectrum> is not running')); }
  // The running model's id; setting it switches the model (as the attribute does).
  get machine() { return this.spectrum?.machine ?? this.getAttribute('machine') ?? '48k'; }
  set machine(id) { this.setAttribute('machine', id); }
  get machineName() { return this.spectrum?.machineName ?? null; }
  get romFallback() { return this.spectrum?.romFallback ?? false; }
  get paused() { return this.spectrum?.paused ?? false; }
  setMachine(id) { return this._call('setMachine', (s) => s.setMachine(id)); }
  setRoms(machine, roms) { return this._call('setRoms', (s) => s.setRoms(machine, roms)); }
  load(source, name) { return this._call('load', (s) => s.load(source, name)); }
  type(text) { return this._call('type', (s) => s.type(text)); }
  screenshot(type) { return this._call('screenshot', (s) => s.screenshot(type)); }
  screenText() { return this._call('screenText', (s) => s.screenText()); }
  snapshot(format) { return this._call('snapshot', (s) => s.snapshot(format)); }
  reset() { this._do('reset', (s) => s.reset()); }
  pause() { this._do('pause', (s) => s.pause()); }
  resume() { this._do('resume', (s) => s.resume()); }
  keyDown(key) { this._do('keyDown', (s) => s.keyDown(key)); }
  keyUp(key) { this._do('keyUp', (s) => s.keyUp(key)); }
  joystick(bits) { this._do('joystick', (s) => s.joystick(bits)); }
  statistics() { return this.spectrum?.statistics() ?? null; }
}

if (!customElements.get('zx-spectrum')) customElements.define('zx-spectrum', ZxSpectrumElement);
