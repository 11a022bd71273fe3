// A minimal zip reader for wheels: the central directory (ZIP64 included),
// stored and deflated members, each checked against its CRC-32. Enough to
// take a few libraries out of a 200 MB wheel without Python or unzip, and
// without holding the wheel in memory (members are streamed through zlib).
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

function readAt(fd, position, length) {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

function bad(path, why) {
  return new Error(`${path} is not a zip file weft can read: ${why}`);
}

/** The ZIP64 extra field's values replace the 32-bit ones that are all ones, in this order. */
function applyZip64(entry, extra) {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      for (const key of ['size', 'compressedSize', 'offset']) {
        if (entry[key] === MAX32) {
          entry[key] = Number(extra.readBigUInt64LE(p));
          p += 8;
        }
      }
      return;
    }
    at += 4 + size;
  }
}

/**
 * The members of the zip file at `path`: name, method (0 stored, 8 deflate),
 * sizes, CRC-32 and the offset of the local header.
 */
export function listZip(path) {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
    const tailStart = Math.max(0, fileSize - (22 + MAX16));
    const tail = readAt(fd, tailStart, fileSize - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw bad(path, 'no end of central directory record');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw bad(path, 'ZIP64 sizes without a ZIP64 locator');
      const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw bad(path, 'no ZIP64 end of central directory record');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    const cd = readAt(fd, cdOffset, cdSize);
    const entries = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw bad(path, `central directory entry ${n} is damaged`);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      const entry = {
        name: cd.toString('utf8', at + 46, at + 46 + nameLength),
        method: cd.readUInt16LE(at + 10),
        crc: cd.readUInt32LE(at + 16),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        offset: cd.readUInt32LE(at + 42),
      };
      applyZip64(entry, cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Writes member `entry` of the zip at `path` to `dest`, checking its size and CRC-32. */
export async function extractEntry(path, entry, dest) {
  if (entry.method !== 0 && entry.method !== 8) throw bad(path, `${entry.name} uses compression method ${entry.method}`);
  const fd = openSync(path, 'r');
  let dataStart;
  try {
    const local = readAt(fd, entry.offset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad(path, `no local header for ${entry.name}`);
    dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    closeSync(fd);
  }
  let crc = 0;
  let size = 0;
  const check = new Transform({
    transform(chunk, _encoding, done) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const source = entry.compressedSize === 0 ? [] : createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  const stages = entry.method === 8 ? [source, createInflateRaw(), check] : [source, check];
  await pipeline(...stages, createWriteStream(dest, { mode: 0o755 }));
  if (size !== entry.size || crc !== entry.crc) throw bad(path, `${entry.name} does not match its size or CRC-32`);
}
