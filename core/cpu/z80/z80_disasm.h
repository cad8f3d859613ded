/*
 * z80_disasm.h: Zilog-syntax disassembler built on the shared decoder
 * (z80_decode.h). Numbers are hex with a '$' prefix, displacements signed
 * decimal: "LD A,($5C3A)", "JR NZ,$8004", "LD (IX+5),$12".
 * Undocumented opcodes use the common names: SLL, IXH/IXL/IYH/IYL,
 * "LD B,RLC (IX+5)", "IN (C)", "OUT (C),0"; undefined ED opcodes are
 * "NOP*"; a DD/FD prefix that has no effect is shown with the
 * instruction it precedes.
 */
#ifndef Z80_DISASM_H
#define Z80_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/z80/z80_decode.h"

/* Disassemble the instruction at pc into out (NUL-terminated, at most n
 * bytes); returns its length in bytes. */
int z80_disasm_peek(z80_peek_fn peek, void *user, uint16_t pc, char *out, size_t n);
/* Same from a buffer holding the bytes from pc on. */
int z80_disasm(uint16_t pc, const uint8_t *bytes, int nbytes, char *out, size_t n);
/* Format an already decoded instruction. */
void z80_disasm_insn(const z80_insn_t *in, char *out, size_t n);

#endif
