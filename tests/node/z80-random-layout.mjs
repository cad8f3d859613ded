// Places a generated program (tests/node/z80-random.mjs) in its 64K image
// and resolves its jump and self-modification targets.
//
// Instructions carry at most one fixup { kind, at, ref }: REL writes a JR/
// DJNZ displacement at byte `at`, ABS a 16-bit address. ref is
// { item, ins?, add? } (an item of the main body, optionally one of its
// instructions, plus a byte offset) or { sub } (a subroutine). Items past the
// end of the body mean the end sentinel.
export const REL = 'rel';
export const ABS = 'abs';

// HALT is followed by a jump back to it: an interrupt resumes after it.
// The 'block' end is built per case (endBytes: a block instruction loop).
const END_BYTES = { trap: [0x18, 0xfe], halt: [0x76, 0x18, 0xfd], loop: [0x18, 0xfe] };

export function layoutCase({ items, nMain, subs, stubs, nmi, codeStart, end, endBytes, image }) {
  const endCode = endBytes ?? END_BYTES[end];
  const listing = [];
  let a = codeStart;
  items.forEach((item, i) => {
    item.addr = a;
    for (const ins of item.ins) {
      ins.addr = a;
      listing.push({ addr: a, len: ins.bytes.length, where: `main ${i}${ins.note ? ` (${ins.note})` : ''}` });
      a += ins.bytes.length;
    }
  });
  const endAddr = a;
  listing.push({ addr: a, len: endCode.length, where: `end (${end})` });
  a += endCode.length;
  const subAddr = subs.map((body, s) => {
    const at = a;
    listing.push({ addr: at, len: body.length, where: `sub ${s}`, bytes: true });
    a += body.length;
    return at;
  });
  if (a > 0x10000) throw new Error('program runs past 64K');

  const target = (ref) => {
    if (ref.sub != null) return subAddr[ref.sub];
    if (ref.item >= nMain) return endAddr + (ref.add ?? 0);
    const item = items[ref.item];
    return (ref.ins != null ? item.ins[ref.ins].addr : item.addr) + (ref.add ?? 0);
  };

  for (const [i, item] of items.entries()) {
    for (const ins of item.ins) {
      const f = ins.fix;
      if (!f) continue;
      const bytes = ins.bytes;
      if (f.kind === ABS) {
        const t = target(f.ref) & 0xffff;
        bytes[f.at] = t & 0xff;
        bytes[f.at + 1] = t >> 8;
        continue;
      }
      const next = ins.addr + bytes.length;
      let d = target(f.ref) - next;
      // A forward jump too far for JR: the furthest item start still in reach.
      for (let j = Math.min(f.ref.item, nMain) - 1; (d > 127) && j > i; j--) d = items[j].addr - next;
      if (d < -128 || d > 127) d = 0;
      bytes[f.at] = d & 0xff;
    }
  }

  const put = (addr, bytes) => bytes.forEach((b, k) => { image[(addr + k) & 0xffff] = b; });
  for (const item of items) for (const ins of item.ins) put(ins.addr, ins.bytes);
  put(endAddr, endCode);
  subs.forEach((body, s) => put(subAddr[s], body));
  stubs.forEach((body, p) => {
    put(p * 8, body);
    listing.push({ addr: p * 8, len: body.length, where: `rst ${(p * 8).toString(16).padStart(2, '0')}`, bytes: true });
  });
  put(0x66, nmi);
  listing.push({ addr: 0x66, len: nmi.length, where: 'nmi' });
  return { endAddr, subAddr, listing };
}
