// What a native binary is for, read from its own header: ELF (machine; glibc or musl from its
// interpreter or, for a shared library, the libc it needs), Mach-O (cpu type; a universal binary's
// every slice) or PE (machine). Anything else is null.
const ELF_MACHINES = { 0x03: 'ia32', 0x28: 'arm', 0x3e: 'x64', 0xb7: 'arm64' };
const MACHO_CPUS = { 7: 'ia32', 12: 'arm', 0x01000007: 'x64', 0x0100000c: 'arm64' };
const PE_MACHINES = { 0x14c: 'ia32', 0x1c4: 'arm', 0x8664: 'x64', 0xaa64: 'arm64' };

const named = (table, code) => table[code] ?? `unknown(0x${code.toString(16)})`;

/** An ELF file's program headers and a reader of its C strings, for 32- and 64-bit little-endian files. */
function elfLayout(buf) {
  const is64 = buf[4] === 2;
  const word = (at) => (is64 ? Number(buf.readBigUInt64LE(at)) : buf.readUInt32LE(at));
  const [phoff, phentsize, phnum] = is64 ? [word(32), buf.readUInt16LE(54), buf.readUInt16LE(56)]
    : [word(28), buf.readUInt16LE(42), buf.readUInt16LE(44)];
  const headers = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    headers.push(is64
      ? { type: buf.readUInt32LE(at), offset: word(at + 8), vaddr: word(at + 16), filesz: word(at + 32) }
      : { type: buf.readUInt32LE(at), offset: word(at + 4), vaddr: word(at + 8), filesz: word(at + 16) });
  }
  const cString = (at) => buf.toString('latin1', at, buf.indexOf(0, at));
  return { is64, word, headers, cString };
}

/** The interpreter (PT_INTERP) and the needed libraries (DT_NEEDED) of an ELF file. */
function elfLinks(buf) {
  const { is64, word, headers, cString } = elfLayout(buf);
  const interp = headers.find((h) => h.type === 3);
  const dynamic = headers.find((h) => h.type === 2);
  const needed = [];
  if (dynamic) {
    const size = is64 ? 16 : 8;
    const tags = [];
    for (let at = dynamic.offset; at + size <= dynamic.offset + dynamic.filesz; at += size) {
      const tag = is64 ? Number(buf.readBigInt64LE(at)) : buf.readInt32LE(at);
      if (tag === 0) break;
      tags.push({ tag, value: word(at + size / 2) });
    }
    const strtab = tags.find((t) => t.tag === 5)?.value;
    const load = headers.find((h) => h.type === 1 && strtab >= h.vaddr && strtab < h.vaddr + h.filesz);
    if (load) for (const t of tags.filter((t) => t.tag === 1)) needed.push(cString(strtab - load.vaddr
      + load.offset + t.value));
  }
  return { interpreter: interp ? cString(interp.offset) : null, needed };
}

/** glibc or musl, from the interpreter, else from the C library a shared object needs; null when neither says. */
export function elfLibc({ interpreter, needed }) {
  if (interpreter) return /ld-musl/.test(interpreter) ? 'musl' : /ld-linux/.test(interpreter) ? 'glibc' : null;
  if (needed.some((n) => n.startsWith('libc.musl-'))) return 'musl';
  if (needed.some((n) => n === 'libc.so.6' || n.startsWith('ld-linux'))) return 'glibc';
  return null;
}

function describeElf(buf) {
  if (buf[5] !== 1) return { format: 'elf', arch: 'unknown(big-endian)', libc: null };
  const links = elfLinks(buf);
  return { format: 'elf', arch: named(ELF_MACHINES, buf.readUInt16LE(18)), libc: elfLibc(links), ...links };
}

function describeMachO(buf) {
  const magic = buf.readUInt32LE(0);
  if (magic === 0xfeedfacf || magic === 0xfeedface) return { format: 'macho', arches: [named(MACHO_CPUS, buf.readUInt32LE(4))] };
  // Universal: big-endian cafebabe (cafebabf with 64-bit offsets); a Java class file starts the same
  // but its next word (a class file version, 45 and up) is no plausible slice count.
  const fat = buf.readUInt32BE(0);
  const count = buf.readUInt32BE(4);
  if ((fat !== 0xcafebabe && fat !== 0xcafebabf) || count === 0 || count > 20) return null;
  const size = fat === 0xcafebabf ? 32 : 20;
  const arches = Array.from({ length: count }, (_, i) => named(MACHO_CPUS, buf.readUInt32BE(8 + i * size)));
  return { format: 'macho', universal: true, arches };
}

function describePe(buf) {
  const at = buf.readUInt32LE(0x3c);
  if (at + 6 > buf.length || buf.toString('latin1', at, at + 4) !== 'PE\0\0') return null;
  return { format: 'pe', arch: named(PE_MACHINES, buf.readUInt16LE(at + 4)) };
}

/** What `buf` (a whole file) is as a native binary, or null when it is none. */
export function describeBinary(buf) {
  if (buf.length < 64) return null;
  if (buf.readUInt32BE(0) === 0x7f454c46) return describeElf(buf);
  if (buf[0] === 0x4d && buf[1] === 0x5a) return describePe(buf);
  return describeMachO(buf);
}

/** Whether a described binary runs on a target whose binaries must be `expected` ({ format, arch, libc? }). */
export function runsOn(binary, expected) {
  if (binary.format !== expected.format) return false;
  if (binary.format === 'macho') return binary.arches.includes(expected.arch);
  return binary.arch === expected.arch && (binary.format !== 'elf' || binary.libc === expected.libc);
}

/** A line for a report: "ELF x64 glibc", "Mach-O universal (x64, arm64)", "PE arm64". */
export function binaryLabel(b) {
  if (b.format === 'elf') return `ELF ${b.arch} ${b.libc ?? 'libc unknown'}`;
  if (b.format === 'macho') return b.universal ? `Mach-O universal (${b.arches.join(', ')})` : `Mach-O ${b.arches[0]}`;
  return `PE ${b.arch}`;
}
