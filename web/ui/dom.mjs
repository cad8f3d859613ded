// dom.mjs: el(tag, props, ...children), the one element builder of the
// page's panels (web/ui/debugger.mjs, web/ui/jit-inspector.mjs), and
// closeButton(), the × of every panel, dialog and message.
// props: class; text (textContent); dataset (an object); onNAME (a
// listener for NAME); anything else an attribute, left out when null,
// undefined or false, empty when true. Null and undefined children are
// left out.
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

// closeButton(className, label, onClick): the × button that closes, hides or
// dismisses its panel, dialog or message. label is its accessible name and
// its tooltip; className gives it the look of its place (spectrum.css,
// save-slots.css, debugger.css, jit-inspector.css). onClick gets no event.
export function closeButton(className, label, onClick) {
  return el('button', { type: 'button', class: className, title: label, 'aria-label': label, onclick: () => onClick() }, '×');
}
