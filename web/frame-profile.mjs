// The frame profile's categories and its text form, shared by the core's
// wrapper (web/spectrum-core.mjs builds stats().profile), the CLI, the
// benchmarks and the page's statistics overlay (which imports only this,
// not the wrapper). What each category covers: core/platform/profile.h;
// "glue" is JS's time around the core's frame.

// The frame profile's categories (stats().profile.categories), in the
// order they are printed: compiled code, the dynarec's dispatcher, the
// interpreter, compiling, video, audio, JS glue, the rest of the core's
// frame loop (tape, wiring), and the profile's own clock reads.
export const PROFILE_CATEGORIES = ['compiled', 'dispatcher', 'interpreter', 'compile', 'video', 'audio', 'glue', 'other', 'profiler'];

// stats().profile as text: one line per category (ms per frame, share),
// then the frame count and the longest frame. `compact`: one line.
export function formatProfile(p, { compact = false } = {}) {
  if (!p) return 'profile: off';
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  if (compact) {
    return PROFILE_CATEGORIES.filter((k) => p.categories[k].share >= 0.005)
      .map((k) => `${k} ${pct(p.categories[k].share)}`).join(', ');
  }
  const lines = [`frame profile: ${p.frames} frames, ${p.msPerFrame.toFixed(3)} ms a frame, longest ${p.longestFrameMs.toFixed(2)} ms`];
  for (const k of PROFILE_CATEGORIES) {
    const c = p.categories[k];
    lines.push(`  ${k.padEnd(12)} ${(c.msPerFrame * 1000).toFixed(1).padStart(9)} us/frame ${pct(c.share).padStart(6)}`);
  }
  lines.push(`  (one clock read: ${p.clockReadNs.toFixed(0)} ns, taken out of each category and counted as "profiler")`);
  return lines.join('\n');
}
