// Toolbar icons as inline SVG (24x24 paths), so the page needs no icon files.
const PATHS = {
  open: 'M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v1H7.5a2 2 0 0 0-1.9 1.4L3.4 18H3zm4.6 4H22l-2.6 8.2a1 1 0 0 1-1 .8H4.4z',
  save: 'M12 3v10.2l3.6-3.6L17 11l-5 5-5-5 1.4-1.4 3.6 3.6V3zM5 19h14v2H5z',
  reset: 'M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z',
  pause: 'M7 5h4v14H7zm6 0h4v14h-4z',
  play: 'M8 5v14l11-7z',
  turbo: 'M4 6v12l8.5-6zm9 0v12l8.5-6z',
  stop: 'M6 6h12v12H6z',
  rewind: 'M6 6h2v12H6zm3.5 6 8.5 6V6z',
  eject: 'M5 17h14v2H5zm7-12 7 10H5z',
  keyboard: 'M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zm3 2v2h2V8zm4 0v2h2V8zm4 0v2h2V8zM6 12v2h2v-2zm4 0v2h2v-2zm4 0v2h2v-2zm-6 3v1.5h8V15z',
  stats: 'M4 19h16v2H4zM6 10h3v7H6zm5-5h3v12h-3zm5 8h3v4h-3z',
  dpad: 'M9 3h6v6h-6zM3 9h6v6H3zm12 0h6v6h-6zm-6 6h6v6H9zm1-3a2 2 0 1 0 4 0 2 2 0 0 0-4 0z',
  fullscreen: 'M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z',
  sound: 'M4 9h4l5-4v14l-5-4H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z',
  inspector: 'M9 3h2v2h2V3h2v2h2a2 2 0 0 1 2 2v2h2v2h-2v2h2v2h-2v2a2 2 0 0 1-2 2h-2v2h-2v-2h-2v2H9v-2H7a2 2 0 0 1-2-2v-2H3v-2h2v-2H3V9h2V7a2 2 0 0 1 2-2h2zM7 7v10h10V7zm2 2h6v6H9z',
  mute: 'M4 9h4l5-4v14l-5-4H4zm12.6.4L18 8l2 2 2-2 1.4 1.4-2 2 2 2L22 15l-2-2-2 2-1.4-1.4 2-2z',
  slots: 'M4 4h7v7H4zm9 0h7v7h-7zM4 13h7v7H4zm9 0h7v7h-7z',
  // a bug: body, head, legs
  debugger: 'M9 4.5 10.6 6.1a4 4 0 0 1 2.8 0L15 4.5l1.4 1.4-1.3 1.3A4 4 0 0 1 16 9h3v2h-3v1h3v2h-3v1a4 4 0 0 1-.2 1.2L19 18l-1.4 1.4-2.6-2.3A4 4 0 0 1 12 19a4 4 0 0 1-3-1.9l-2.6 2.3L5 18l3.2-1.8A4 4 0 0 1 8 15v-1H5v-2h3v-1H5V9h3a4 4 0 0 1 .9-1.8L7.6 5.9zM11 10v7h2v-7z',
  back: 'M12 4a8 8 0 1 1-7.9 9.3h2A6 6 0 1 0 12 6v3L7.5 5 12 1zm-1 4h2v4.4l3 1.8-1 1.7-4-2.4z',
};

export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.append(path);
  return svg;
}
