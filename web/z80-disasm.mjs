// z80-disasm.mjs: a Z80 disassembler in plain JS, for the page and the API
// (the debugger's disassembly view, the JIT inspector's guest code).
//
// Same syntax as the core's C disassembler (core/cpu/z80/z80_disasm.c,
// driven by core/cpu/z80/z80_ops.tab): Zilog mnemonics, hex numbers with a
// '$' prefix, displacements signed decimal: "LD A,($5C3A)", "JR NZ,$8004",
// "LD (IX+5),$12". Undocumented opcodes use the common names (SLL,
// IXH/IXL/IYH/IYL, "LD B,RLC (IX+5)", "IN (C)", "OUT (C),0"); undefined ED
// opcodes are "NOP*"; a DD/FD prefix with no effect is shown with the
// instruction it precedes, and a chain of DD/FD prefixes is one instruction
// (only the last prefix counts), as the core decodes it.
// tests/node/z80-disasm.test.mjs compares every opcode with the C one.
//
//   import { disassemble, disassembleOne } from './z80-disasm.mjs';
//   disassemble(mem, 0x8000, 10)  // mem: Uint8Array(65536) or addr => byte
//   -> [{ addr, length, bytes: [..], text }, ...]

const R = ['B', 'C', 'D', 'E', 'H', 'L', '(HL)', 'A'];
const RP = ['BC', 'DE', 'HL', 'SP'];
const RP2 = ['BC', 'DE', 'HL', 'AF'];
const CC = ['NZ', 'Z', 'NC', 'C', 'PO', 'PE', 'P', 'M'];
const ALU = ['ADD A,', 'ADC A,', 'SUB ', 'SBC A,', 'AND ', 'XOR ', 'OR ', 'CP '];
const ROT = ['RLC', 'RRC', 'RL', 'RR', 'SLA', 'SRA', 'SLL', 'SRL'];
const ACC = ['RLCA', 'RRCA', 'RLA', 'RRA', 'DAA', 'CPL', 'SCF', 'CCF'];
const IM = ['0', '0', '1', '2', '0', '0', '1', '2'];
const BLOCK = [
    ['LDI', 'CPI', 'INI', 'OUTI'], ['LDD', 'CPD', 'IND', 'OUTD'],
    ['LDIR', 'CPIR', 'INIR', 'OTIR'], ['LDDR', 'CPDR', 'INDR', 'OTDR'],
];

const hex2 = (v) => '$' + (v & 0xff).toString(16).toUpperCase().padStart(2, '0');
const hex4 = (v) => '$' + (v & 0xffff).toString(16).toUpperCase().padStart(4, '0');
const sdisp = (d) => (d < 0 ? '-' + -d : '+' + d);

function peeker(mem) {
    if (typeof mem === 'function') return (a) => mem(a & 0xffff) & 0xff;
    if (mem && typeof mem.length === 'number') return (a) => mem[a & 0xffff] & 0xff;
    throw new TypeError('z80-disasm: memory must be a byte array or a function addr => byte');
}

/** Disassemble one instruction at addr. mem: Uint8Array(65536) or addr => byte. */
export function disassembleOne(mem, addr) {
    const peek = peeker(mem);
    const start = addr & 0xffff;
    let off = 0;
    const next = () => peek(start + off++);
    let op = next();
    let ix = null; // 'IX' / 'IY' for a DD/FD instruction
    if (op === 0xdd || op === 0xfd) {
        let nb = peek(start + off);
        while ((nb === 0xdd || nb === 0xfd) && off < 200) {
            op = next();
            nb = peek(start + off);
        }
        if (nb === 0xed) {
            op = next(); // DD ED xx: the DD is ignored
        } else {
            ix = op === 0xdd ? 'IX' : 'IY';
            op = next();
        }
    }
    let text;
    if (op === 0xcb) {
        if (ix) {
            const d = (next() << 24) >> 24;
            const o = next();
            const m = `(${ix}${sdisp(d)})`;
            const x = o >> 6, y = (o >> 3) & 7, z = o & 7;
            let t;
            if (x === 0) t = `${ROT[y]} ${m}`;
            else if (x === 1) t = `BIT ${y},${m}`;
            else t = `${x === 2 ? 'RES' : 'SET'} ${y},${m}`;
            text = z === 6 || x === 1 ? t : `LD ${R[z]},${t}`;
        } else {
            const o = next();
            const x = o >> 6, y = (o >> 3) & 7, z = o & 7;
            if (x === 0) text = `${ROT[y]} ${R[z]}`;
            else text = `${['', 'BIT', 'RES', 'SET'][x]} ${y},${R[z]}`;
        }
    } else if (op === 0xed) {
        const o = next();
        const x = o >> 6, y = (o >> 3) & 7, z = o & 7, p = y >> 1, q = y & 1;
        if (x === 1) {
            switch (z) {
            case 0: text = y === 6 ? 'IN (C)' : `IN ${R[y]},(C)`; break;
            case 1: text = y === 6 ? 'OUT (C),0' : `OUT (C),${R[y]}`; break;
            case 2: text = `${q ? 'ADC' : 'SBC'} HL,${RP[p]}`; break;
            case 3: {
                const w = next() | (next() << 8);
                text = q ? `LD ${RP[p]},(${hex4(w)})` : `LD (${hex4(w)}),${RP[p]}`;
                break;
            }
            case 4: text = 'NEG'; break;
            case 5: text = y === 1 ? 'RETI' : 'RETN'; break;
            case 6: text = `IM ${IM[y]}`; break;
            default: text = ['LD I,A', 'LD R,A', 'LD A,I', 'LD A,R', 'RRD', 'RLD', 'NOP*', 'NOP*'][y];
            }
        } else if (x === 2 && z <= 3 && y >= 4) {
            text = BLOCK[y - 4][z];
        } else {
            text = 'NOP*';
        }
    } else {
        text = base(op, ix, next);
    }
    const length = off;
    if (typeof text === 'object') text = text.text + hex4(start + length + text.target);
    const bytes = [];
    for (let i = 0; i < length; i++) bytes.push(peek(start + i));
    return { addr: start, length, bytes, text };
}

// An unprefixed opcode, or a DD/FD one with ix set: H/L become IXH/IXL and
// (HL) becomes (IX+d), except that an instruction using (IX+d) keeps plain
// H and L for its other operand, and EX DE,HL / EXX keep HL.
function base(op, ix, next) {
    const x = op >> 6, y = (op >> 3) & 7, z = op & 7, p = y >> 1, q = y & 1;
    const hl = ix || 'HL';
    let dispText = null;
    const mem = () => {
        if (!ix) return '(HL)';
        if (dispText === null) dispText = `(${ix}${sdisp((next() << 24) >> 24)})`;
        return dispText;
    };
    // register name for field v; usesMem: the instruction has an (IX+d) operand
    const reg = (v, usesMem) => {
        if (v === 6) return mem();
        if (ix && !usesMem && (v === 4 || v === 5)) return ix + (v === 4 ? 'H' : 'L');
        return R[v];
    };
    const rp = (v) => (v === 2 ? hl : RP[v]);
    const imm8 = () => hex2(next());
    const imm16 = () => { const lo = next(); return hex4(lo | (next() << 8)); };
    const rel = () => { const d = (next() << 24) >> 24; return d; };
    if (x === 0) {
        switch (z) {
        case 0:
            if (y === 0) return 'NOP';
            if (y === 1) return "EX AF,AF'";
            return { target: rel(), text: y === 2 ? 'DJNZ ' : y === 3 ? 'JR ' : `JR ${CC[y - 4]},` };
        case 1: return q ? `ADD ${hl},${rp(p)}` : `LD ${rp(p)},${imm16()}`;
        case 2:
            switch (y) {
            case 0: return 'LD (BC),A';
            case 1: return 'LD A,(BC)';
            case 2: return 'LD (DE),A';
            case 3: return 'LD A,(DE)';
            case 4: return `LD (${imm16()}),${hl}`;
            case 5: return `LD ${hl},(${imm16()})`;
            case 6: return `LD (${imm16()}),A`;
            default: return `LD A,(${imm16()})`;
            }
        case 3: return `${q ? 'DEC' : 'INC'} ${rp(p)}`;
        case 4: return `INC ${reg(y, false)}`;
        case 5: return `DEC ${reg(y, false)}`;
        case 6: { const r = reg(y, false); return `LD ${r},${imm8()}`; }
        default: return ACC[y];
        }
    }
    if (x === 1) {
        if (op === 0x76) return 'HALT';
        const usesMem = y === 6 || z === 6;
        const dst = reg(y, usesMem);
        return `LD ${dst},${reg(z, usesMem)}`;
    }
    if (x === 2) return ALU[y] + reg(z, false);
    switch (z) {
    case 0: return `RET ${CC[y]}`;
    case 1:
        if (q === 0) return `POP ${p === 2 ? hl : RP2[p]}`;
        return ['RET', 'EXX', `JP (${hl})`, `LD SP,${hl}`][p];
    case 2: return `JP ${CC[y]},${imm16()}`;
    case 3:
        switch (y) {
        case 0: return `JP ${imm16()}`;
        case 2: return `OUT (${imm8()}),A`;
        case 3: return `IN A,(${imm8()})`;
        case 4: return `EX (SP),${hl}`;
        case 5: return 'EX DE,HL';
        case 6: return 'DI';
        case 7: return 'EI';
        default: return '(CB prefix)';
        }
    case 4: return `CALL ${CC[y]},${imm16()}`;
    case 5:
        if (q === 0) return `PUSH ${p === 2 ? hl : RP2[p]}`;
        return p === 0 ? `CALL ${imm16()}` : '(prefix)';
    case 6: return ALU[y] + imm8();
    default: return `RST ${hex2(y * 8)}`;
    }
}

/** Disassemble count instructions from addr on. */
export function disassemble(mem, addr, count = 1) {
    const out = [];
    let a = addr & 0xffff;
    for (let i = 0; i < count; i++) {
        const one = disassembleOne(mem, a);
        out.push(one);
        a = (a + one.length) & 0xffff;
    }
    return out;
}

/** Format lines as "8000  3E 05     LD A,$05". */
export function formatListing(lines) {
    return lines.map((l) => {
        const b = l.bytes.map((v) => v.toString(16).toUpperCase().padStart(2, '0')).join(' ');
        return `${l.addr.toString(16).toUpperCase().padStart(4, '0')}  ${b.padEnd(12)} ${l.text}`;
    }).join('\n');
}
