// The picture: a canvas at the frame buffer's own size (352 x 296), scaled
// by CSS to fit its box with the aspect ratio kept (object-fit: contain),
// nearest-neighbour ("crisp") or filtered ("smooth").
//
// Frames arrive from the emulator thread at 50 Hz; the display refreshes at
// its own rate. Only the newest frame is kept, and it is drawn in the next
// animation frame; buffers go back to the emulator thread for reuse.
export class Screen {
  constructor(canvas, { giveBack, onFirstDraw }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.giveBack = giveBack;
    this.onFirstDraw = onFirstDraw;
    this.pending = null;
    this.raf = 0;
    this.drawn = 0;
    this.draw = () => this.paint();
  }

  // A frame message from the worker: { buffer, width, height }.
  show(frame) {
    if (this.pending) this.giveBack(this.pending.buffer);
    this.pending = frame;
    if (!this.raf) this.raf = requestAnimationFrame(this.draw);
  }

  paint() {
    this.raf = 0;
    const f = this.pending;
    if (!f) return;
    this.pending = null;
    if (this.canvas.width !== f.width || this.canvas.height !== f.height) {
      this.canvas.width = f.width;
      this.canvas.height = f.height;
    }
    this.ctx.putImageData(new ImageData(new Uint8ClampedArray(f.buffer), f.width, f.height), 0, 0);
    this.giveBack(f.buffer);
    if (this.drawn++ === 0) this.onFirstDraw?.();
  }

  set smooth(on) {
    this.canvas.classList.toggle('zx-smooth', Boolean(on));
  }

  get smooth() {
    return this.canvas.classList.contains('zx-smooth');
  }

  destroy() {
    cancelAnimationFrame(this.raf);
    this.pending = null;
  }
}
