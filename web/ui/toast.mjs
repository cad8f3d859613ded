// Messages over the screen in plain words ("game.tap: the file is
// truncated"), which leave by themselves or when dismissed. Errors stay
// longer than notices.
import { closeButton } from './dom.mjs';

export class Toasts {
  constructor(parent) {
    this.el = document.createElement('div');
    this.el.className = 'zx-toasts';
    this.el.setAttribute('role', 'status');
    this.el.setAttribute('aria-live', 'polite');
    parent.append(this.el);
  }

  show(text, { kind = 'info', ms = kind === 'error' ? 8000 : 3000 } = {}) {
    const t = document.createElement('div');
    t.className = `zx-toast zx-toast-${kind}`;
    if (kind === 'error') t.setAttribute('role', 'alert');
    const msg = document.createElement('span');
    msg.textContent = text;
    t.append(msg, closeButton('zx-toast-close', 'Dismiss', () => t.remove()));
    this.el.append(t);
    while (this.el.children.length > 3) this.el.firstElementChild.remove();
    setTimeout(() => t.remove(), ms);
    return t;
  }
}
