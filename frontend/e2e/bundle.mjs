// OneRoster CSV bundles for the end-to-end tests, made from csvbundle/testdata/v12 (Node has no zip module:
// a small "stored" zip writer, no compression, CRC-32 from zlib).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { repoRoot } from './harness.mjs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of the zip format (zlib.crc32 from Node 20.15/22.2; a table otherwise). */
export function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the files ({name: contents}), stored without compression. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, contents] of Object.entries(files)) {
    const data = Buffer.isBuffer(contents) ? contents : Buffer.from(contents, 'utf8');
    const fname = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0x00210000, 10); // DOS time/date: 1980-01-01 00:00
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    centrals.push(central, fname);
    offset += local.length + fname.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const sample = join(repoRoot, 'csvbundle', 'testdata', 'v12');

/**
 * The sample 1.2 bundle's files as delta files, which add to the district rather than replace it (a delta
 * row needs a status and a dateLastModified: blanks become active and a fixed date).
 */
export function sampleFiles() {
  const files = {};
  for (const f of readdirSync(sample).filter((n) => n.endsWith('.csv')).sort()) {
    const text = readFileSync(join(sample, f), 'utf8');
    if (f === 'manifest.csv') {
      files[f] = text.replace(/,bulk$/gm, ',delta');
      continue;
    }
    const [header, ...rows] = text.split('\n');
    // Every data file starts sourcedId,status,dateLastModified; the sample's sourcedIds hold no commas.
    const filled = rows.map((r) =>
      r ? r.replace(/^([^,]*),([^,]*),([^,]*),/, (_, id, st, at) => `${id},${st || 'active'},${at || '2025-01-01T00:00:00.000Z'},`) : r,
    );
    files[f] = [header, ...filled].join('\n');
  }
  return files;
}

/** A good bundle: the sample, delta. */
export function goodBundle() {
  return zip(sampleFiles());
}

export const BAD_CLASS = 'cls-does-not-exist';

/** The sample with one bad cell: enrollments.csv line 2 refers to a class nobody has. */
export function badBundle() {
  const files = sampleFiles();
  const lines = files['enrollments.csv'].split('\n');
  lines[1] = lines[1].replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, `$1${BAD_CLASS}`);
  files['enrollments.csv'] = lines.join('\n');
  return zip(files);
}
