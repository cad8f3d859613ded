// <zx-spectrum>: the embedding API as an HTML element.
//
//   <script type="module" src="web/zx-spectrum-element.mjs"></script>
//   <zx-spectrum src="game.tap" machine="48k"></zx-spectrum>
//
// Attributes: src (a file to load; changing it loads the new one), machine
// ('48k'), jit ("off" to run the interpreter only), sound ("off"), stats
// (present: statistics overlay), smooth (present: filtered scaling),
// keyboard ("onscreen": show the touch keyboard), joystick ("kempston").
// The element forwards the Spectrum's events (ready, load, error,
// statistics, pause, resume, jit) and its methods; `.spectrum` is the
// underlying object of createSpectrum().
import { createSpectrum } from './spectrum.mjs';

const FORWARDED = ['ready', 'load', 'error', 'statistics', 'pause', 'resume', 'jit'];

export class ZxSpectrumElement extends HTMLElement {
  static get observedAttributes() { return ['src', 'stats', 'smooth']; }

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
    this.spectrum = createSpectrum(this.box, {
      src: attr('src') || undefined,
      machine: attr('machine') ?? '48k',
      jit: attr('jit') !== 'off',
      sound: attr('sound') !== 'off',
      stats: this.hasAttribute('stats'),
      smooth: this.hasAttribute('smooth'),
      onScreenKeyboard: attr('keyboard') === 'onscreen' ? true : undefined,
      joystick: attr('joystick') ?? 'cursor',
    });
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
    if (name === 'src' && value) this.spectrum.load(value).catch(() => {});
    if (name === 'stats') this.spectrum.showStats = value !== null;
    if (name === 'smooth') this.spectrum.smooth = value !== null;
  }

  get ready() { return this.spectrum.ready; }
  load(source, name) { return this.spectrum.load(source, name); }
  reset() { this.spectrum.reset(); }
  pause() { this.spectrum.pause(); }
  resume() { this.spectrum.resume(); }
  get paused() { return this.spectrum.paused; }
  keyDown(key) { this.spectrum.keyDown(key); }
  keyUp(key) { this.spectrum.keyUp(key); }
  type(text) { return this.spectrum.type(text); }
  joystick(bits) { this.spectrum.joystick(bits); }
  screenshot(type) { return this.spectrum.screenshot(type); }
  screenText() { return this.spectrum.screenText(); }
  snapshot(format) { return this.spectrum.snapshot(format); }
  statistics() { return this.spectrum.statistics(); }
}

if (!customElements.get('zx-spectrum')) customElements.define('zx-spectrum', ZxSpectrumElement);
