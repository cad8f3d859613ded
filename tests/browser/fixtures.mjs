// Test media built from bytes at test time (no binaries in the repo), with
// the TAP helpers of tools/mktap.mjs.
import { tapBlock, headerBlock, basicNumber, basicLine } from '../../tools/mktap.mjs';

const PRINT = 0xf5;
const BORDER = 0xe7;
const ascii = (s) => [...s].map((c) => c.charCodeAt(0));

// A BASIC program that runs itself from line 10:
//   10 BORDER 2: PRINT "<text>"
export function helloTap(text, name = 'hello') {
  const program = new Uint8Array(basicLine(10, [BORDER, ...basicNumber(2), ...ascii(':'), PRINT, ...ascii(`"${text}"`)]));
  const header = headerBlock(0, name, program.length, 10, program.length);
  const data = tapBlock(0xff, program);
  return new Uint8Array([...header, ...data]);
}
