// oneMKL without Python (scripts/install/pypi.mjs, zip.mjs, fetch-deps.mjs's
// fetchRuntime): pip's settings, the index pages (JSON and HTML), the wheel
// choice, proxies, the sha256 check, the zip reader (ZIP64 included), and a
// whole fetch from a local index. No network: every server is local.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadWheel, get, locateWheel, parseHtmlIndex, parseIni, parseJsonIndex, pickWheel, pipConfigFiles, pipSettings, proxyFor } from '../scripts/install/pypi.mjs';
import { extractEntry, listZip } from '../scripts/install/zip.mjs';
import { fetchRuntime } from '../scripts/install/fetch-deps.mjs';
import { PINNED_MKL } from '../lib/internal/find-mkl.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'weft-fetch-'));
const quiet = { write: () => true, isTTY: false };

/** A zip of `files`: deflated unless `stored`; with `zip64`, every size and offset goes through the ZIP64 records. */
function makeZip(files: Record<string, Buffer | string>, { stored = false, zip64 = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const packed = stored ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(packed.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(zip64 ? 0xffffffff : packed.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes, extra);
    offset += local.length + nameBytes.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const count = Object.keys(files).length;
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, eocd]);
}

describe("pip's settings", () => {
  it('parses pip.conf as pip does: sections, key spellings, continuation lines, comments', () => {
    const ini = parseIni('# a comment\n[global]\nindex_url = https://a/simple\nextra-index-url =\n    https://b/simple\n    https://c/simple\n; other\n[install]\n--find-links: /w\n');
    expect(ini).toEqual({ global: { 'index-url': 'https://a/simple', 'extra-index-url': '\nhttps://b/simple\nhttps://c/simple' }, install: { 'find-links': '/w' } });
  });

  it('reads global, user, site, then PIP_CONFIG_FILE, later overriding earlier, [install] over [global], PIP_* over all', () => {
    const dir = scratch();
    const globalConf = join(dir, 'global.conf');
    const userConf = join(dir, 'user.conf');
    const siteConf = join(dir, 'site.conf');
    writeFileSync(globalConf, '[global]\nindex-url = https://global/simple\ncert = /g.pem\ntimeout = 30\n');
    writeFileSync(userConf, '[global]\nindex-url = https://user/simple\n[install]\nextra-index-url = https://x/simple https://y/simple\n');
    writeFileSync(siteConf, '[install]\nfind-links = /wheels\n');
    const settings = pipSettings({}, [globalConf, userConf, siteConf]);
    expect(settings).toEqual({ indexes: ['https://user/simple', 'https://x/simple', 'https://y/simple'], findLinks: ['/wheels'], cert: '/g.pem', timeout: 30 });
    const env = { PIP_INDEX_URL: 'https://env/simple', PIP_EXTRA_INDEX_URL: '', PIP_CERT: '/e.pem', PIP_DEFAULT_TIMEOUT: '180' };
    expect(pipSettings(env, [globalConf, userConf])).toMatchObject({ indexes: ['https://env/simple', 'https://x/simple', 'https://y/simple'], cert: '/e.pem', timeout: 30 });
    expect(pipSettings({ PIP_TIMEOUT: '7' }, [globalConf]).timeout).toBe(7);
    expect(pipSettings({ PIP_NO_INDEX: '1', PIP_FIND_LINKS: '/a /b' }, [])).toMatchObject({ indexes: [], findLinks: ['/a', '/b'] });
    expect(pipSettings({}, [])).toEqual({ indexes: ['https://pypi.org/simple/'], findLinks: [], cert: undefined, timeout: 15 });
  });

  it("names pip's files in pip's order, and skips the user files when PIP_CONFIG_FILE exists", () => {
    const dir = scratch();
    const env = { HOME: '/h', XDG_CONFIG_DIRS: '/etc/xdg', VIRTUAL_ENV: '/v' };
    expect(pipConfigFiles(env)).toEqual(['/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/h/.pip/pip.conf', '/h/.config/pip/pip.conf', '/v/pip.conf']);
    const explicit = join(dir, 'pip.conf');
    writeFileSync(explicit, '');
    expect(pipConfigFiles({ ...env, PIP_CONFIG_FILE: explicit })).toEqual(['/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/v/pip.conf', explicit]);
    expect(pipConfigFiles({ ...env, PIP_CONFIG_FILE: '/dev/null' })).toEqual([]);
  });

  it('refuses a timeout that is not a number, naming where it comes from', () => {
    expect(() => pipSettings({ PIP_DEFAULT_TIMEOUT: 'soon' }, [])).toThrow(/PIP_TIMEOUT, PIP_DEFAULT_TIMEOUT or "timeout" in pip.conf\) must be a positive number of seconds, but it is "soon"/);
  });
});

describe('proxies', () => {
  const pypi = new URL('https://pypi.org/simple/mkl/');
  it('takes HTTPS_PROXY, then https_proxy, then npm_config_https_proxy, then npm_config_proxy', () => {
    const all = { HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', npm_config_https_proxy: 'http://c:3', npm_config_proxy: 'http://d:4' };
    expect(proxyFor(pypi, all)?.variable).toBe('HTTPS_PROXY');
    expect(proxyFor(pypi, { ...all, HTTPS_PROXY: undefined })?.variable).toBe('https_proxy');
    expect(proxyFor(pypi, { npm_config_https_proxy: 'http://c:3', npm_config_proxy: 'http://d:4' })?.url.host).toBe('c:3');
    expect(proxyFor(pypi, { npm_config_https_proxy: 'null', npm_config_proxy: 'd:4' })?.url.href).toBe('http://d:4/');
    expect(proxyFor(new URL('http://local/simple/'), { HTTPS_PROXY: 'http://a:1' })).toBeUndefined();
  });
  it('leaves out the hosts NO_PROXY names', () => {
    expect(proxyFor(pypi, { HTTPS_PROXY: 'http://a:1', NO_PROXY: 'localhost, .pypi.org' })).toBeUndefined();
    expect(proxyFor(pypi, { HTTPS_PROXY: 'http://a:1', no_proxy: '*' })).toBeUndefined();
    expect(proxyFor(pypi, { HTTPS_PROXY: 'http://a:1', NO_PROXY: 'example.org' })?.variable).toBe('HTTPS_PROXY');
  });
  it('names the variable of a proxy it cannot use', () => {
    expect(() => proxyFor(pypi, { https_proxy: 'socks5://p:1080' })).toThrow(/^https_proxy is "socks5:\/\/p:1080", which weft cannot use as a proxy: only http:\/\/ proxies/);
  });
});

describe('index pages and the wheel choice', () => {
  const sha = 'a'.repeat(64);
  it('reads a PEP 691 JSON page, skipping yanked files', () => {
    const body = JSON.stringify({
      meta: { 'api-version': '1.1' },
      files: [
        { filename: 'mkl-1.0-py3-none-manylinux_2_28_x86_64.whl', url: '../../packages/mkl.whl', hashes: { sha256: sha } },
        { filename: 'mkl-0.9-py3-none-manylinux_2_28_x86_64.whl', url: 'https://f/old.whl', hashes: {}, yanked: 'broken' },
      ],
    });
    expect(parseJsonIndex(body, 'https://i/simple/mkl/')).toEqual([{ filename: 'mkl-1.0-py3-none-manylinux_2_28_x86_64.whl', url: 'https://i/packages/mkl.whl', sha256: sha }]);
  });
  it('reads a PEP 503 HTML page: the sha256 fragment, entities, <base>, yanked anchors', () => {
    const body = `<html><head><base href="https://files/base/"></head><body>
      <a href="p/mkl-1.0-py3-none-manylinux_2_28_x86_64.whl#sha256=${sha}" data-requires-python="&gt;=3">mkl-1.0-py3-none-manylinux_2_28_x86_64.whl</a>
      <a href="p/intel_openmp-1.0-py3-none-manylinux_2_28_x86_64.whl?a=1&amp;b=2">x</a>
      <a href="p/gone.whl" data-yanked="">gone</a></body></html>`;
    expect(parseHtmlIndex(body, 'https://i/simple/mkl/')).toEqual([
      { filename: 'mkl-1.0-py3-none-manylinux_2_28_x86_64.whl', url: 'https://files/base/p/mkl-1.0-py3-none-manylinux_2_28_x86_64.whl', sha256: sha },
      { filename: 'intel_openmp-1.0-py3-none-manylinux_2_28_x86_64.whl', url: 'https://files/base/p/intel_openmp-1.0-py3-none-manylinux_2_28_x86_64.whl?a=1&b=2', sha256: undefined },
    ]);
  });
  it('picks the linux x86_64 wheel of the pinned version that this glibc can load', () => {
    const files = [
      'intel_openmp-2.0-py2.py3-none-win_amd64.whl',
      'intel_openmp-2.0-py2.py3-none-manylinux_2_28_x86_64.whl',
      'intel_openmp-2.0-py2.py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
      'intel_openmp-2.0-py2.py3-none-manylinux_2_28_aarch64.whl',
      'intel_openmp-2.1-py2.py3-none-manylinux_2_28_x86_64.whl',
      'intel_openmp-2.0.tar.gz',
    ].map((filename) => ({ filename, url: `https://f/${filename}` }));
    expect(pickWheel(files, 'intel-openmp', '2.0', [2, 35])?.filename).toBe('intel_openmp-2.0-py2.py3-none-manylinux_2_28_x86_64.whl');
    expect(pickWheel(files, 'Intel_OpenMP', '2.0', [2, 17])?.filename).toBe('intel_openmp-2.0-py2.py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl');
    expect(pickWheel(files, 'intel-openmp', '2.0', [2, 12])).toBeUndefined();
    expect(pickWheel(files, 'intel-openmp', '3.0', [2, 35])).toBeUndefined();
  });
});

describe('the zip reader', () => {
  const files = { 'a.data/data/lib/libx.so.3': Buffer.alloc(70_000, 7), 'a.dist-info/METADATA': 'Name: a\n', empty: '' };
  for (const [label, options] of [['deflated', {}], ['stored', { stored: true }], ['ZIP64', { zip64: true }]] as const) {
    it(`lists and extracts ${label} members, checking each CRC-32`, async () => {
      const dir = scratch();
      const path = join(dir, 'w.whl');
      writeFileSync(path, makeZip(files, options));
      const entries = listZip(path);
      expect(entries.map((e) => [e.name, e.size])).toEqual([['a.data/data/lib/libx.so.3', 70_000], ['a.dist-info/METADATA', 8], ['empty', 0]]);
      for (const entry of entries) {
        await extractEntry(path, entry, join(dir, 'out'));
        expect(readFileSync(join(dir, 'out'))).toEqual(Buffer.from(files[entry.name as keyof typeof files]));
      }
    });
  }
  it('refuses a member whose bytes do not match its CRC-32, and a file that is not a zip', async () => {
    const dir = scratch();
    const zip = makeZip({ f: 'hello world' }, { stored: true });
    zip[30 + 1] ^= 0xff; // one byte of the stored data
    writeFileSync(join(dir, 'bad.zip'), zip);
    await expect(extractEntry(join(dir, 'bad.zip'), listZip(join(dir, 'bad.zip'))[0], join(dir, 'out'))).rejects.toThrow(/f does not match its size or CRC-32/);
    writeFileSync(join(dir, 'not.zip'), 'plain text');
    expect(() => listZip(join(dir, 'not.zip'))).toThrow(/not a zip file weft can read: no end of central directory record/);
  });
});

describe('fetching from a local index', () => {
  const version = PINNED_MKL;
  const wheelName = `mkl-${version}-py2.py3-none-manylinux_2_28_x86_64.whl`;
  const lib = (name: string) => `mkl-${version}.data/data/lib/${name}`;
  const wheel = makeZip({
    [lib('libmkl_rt.so.3')]: 'rt',
    [lib('libmkl_core.so.3')]: 'core',
    [lib('libmkl_tbb_thread.so.3')]: 'tbb',
    [lib('libmkl_avx512.so.3')]: 'avx512',
    [lib('libmkl_intel_thread.so.3')]: 'omp layer',
    [lib('libmkl_scalapack_lp64.so.2')]: 'not needed',
    [`mkl-${version}.data/data/share/doc/mkl/x.txt`]: 'doc',
    [`mkl-${version}.dist-info/LICENSE.txt`]: 'licence',
  });
  const digest = createHash('sha256').update(wheel).digest('hex');
  const seen: { url: string; accept?: string; proxied?: boolean }[] = [];
  let server: http.Server;
  let base: string;
  let badDigest = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = req.url!;
      seen.push({ url, accept: req.headers.accept, proxied: url.startsWith('http://') });
      const path = url.replace(/^http:\/\/[^/]+/, '');
      if (path === '/json/mkl/') {
        res.setHeader('content-type', 'application/vnd.pypi.simple.v1+json');
        res.end(JSON.stringify({ meta: { 'api-version': '1.1' }, files: [{ filename: wheelName, url: `/files/${wheelName}`, hashes: { sha256: badDigest ? 'b'.repeat(64) : digest } }] }));
      } else if (path === '/html/mkl/') {
        res.setHeader('content-type', 'text/html');
        res.end(`<a href="/files/${wheelName}#sha256=${digest}">${wheelName}</a>`);
      } else if (path === `/files/${wheelName}`) {
        res.setHeader('content-length', String(wheel.length));
        res.end(wheel);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const settingsOf = (indexes: string[], findLinks: string[] = []) => ({ indexes, findLinks, cert: undefined, timeout: 5 });

  it('asks for JSON and falls back to HTML; an index that fails is passed over, naming why', async () => {
    seen.length = 0;
    const fromJson = await locateWheel('mkl', version, { settings: settingsOf([`${base}/json`]), env: {} });
    expect(fromJson).toMatchObject({ filename: wheelName, url: `${base}/files/${wheelName}`, sha256: digest });
    expect(seen[0]).toMatchObject({ url: '/json/mkl/', accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' });
    const fromHtml = await locateWheel('mkl', version, { settings: settingsOf([`${base}/missing`, `${base}/html`]), env: {} });
    expect(fromHtml).toMatchObject({ sha256: digest, source: `${base}/html` });
    await expect(locateWheel('mkl', version, { settings: settingsOf([`${base}/missing`]), env: {} })).rejects.toThrow(
      `no mkl==${version} wheel for linux x86_64 found; tried: ${base}/missing (GET ${base}/missing/mkl/ answered 404)`,
    );
  });

  it('goes through an http proxy given by http_proxy, and not when NO_PROXY names the host', async () => {
    seen.length = 0;
    // The server answers absolute-URI requests too: it is its own proxy here.
    const response = await get(`http://index.invalid/json/mkl/`, { settings: settingsOf([]), env: { http_proxy: base } });
    response.resume();
    expect(seen[0]).toMatchObject({ url: 'http://index.invalid/json/mkl/', proxied: true });
    await expect(get(`http://index.invalid/json/mkl/`, { settings: settingsOf([]), env: { http_proxy: base, NO_PROXY: 'index.invalid' } })).rejects.toThrow();
  });

  it('tunnels https through an HTTP CONNECT proxy, and names the variable when the proxy refuses', async () => {
    const asked: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req, socket) => {
      asked.push(`${req.method} ${req.url}`);
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const env = { npm_config_https_proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
      await expect(get('https://pypi.org/simple/mkl/', { settings: settingsOf([]), env })).rejects.toThrow(/answered CONNECT with 407/);
      await expect(get('https://pypi.org/simple/mkl/', { settings: settingsOf([]), env })).rejects.toThrow(/\(npm_config_https_proxy\)/);
      expect(asked[0]).toBe('CONNECT pypi.org:443');
    } finally {
      proxy.close();
    }
  });

  it("names pip's cert setting when its bundle cannot be read", async () => {
    await expect(get('https://pypi.org/simple/mkl/', { settings: { ...settingsOf([]), cert: '/nonexistent.pem' }, env: {} })).rejects.toThrow(
      /^pip's certificate bundle \(PIP_CERT or "cert" in pip.conf\) is \/nonexistent.pem, which cannot be read/,
    );
  });

  it('refuses a wheel whose sha256 differs from the index, and deletes it', async () => {
    badDigest = true;
    try {
      const dir = scratch();
      const settings = settingsOf([`${base}/json`]);
      const found = await locateWheel('mkl', version, { settings, env: {} });
      await expect(downloadWheel(found, join(dir, 'w.whl'), { settings, env: {}, label: 'oneMKL', stream: quiet })).rejects.toThrow(
        `${wheelName} from ${base}/json has sha256 ${digest}, but the index lists ${'b'.repeat(64)}: refused (deleted)`,
      );
      expect(existsSync(join(dir, 'w.whl'))).toBe(false);
    } finally {
      badDigest = false;
    }
  });

  it('fetchRuntime keeps only the libraries weft loads (and the licence), by PIP_INDEX_URL; then again from find-links', async () => {
    const dir = join(scratch(), 'onemkl');
    const env = { PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: `${base}/json` };
    await fetchRuntime({ dir, quiet: true, env });
    expect(readdirSync(join(dir, 'lib')).sort()).toEqual(['libmkl_avx512.so.3', 'libmkl_core.so.3', 'libmkl_rt.so.3', 'libmkl_tbb_thread.so.3']);
    expect(readFileSync(join(dir, 'LICENSE-mkl.txt'), 'utf8')).toBe('licence');
    expect(JSON.parse(readFileSync(join(dir, '.weft-deps.json'), 'utf8'))).toMatchObject({ kind: 'runtime', pinned: [`mkl==${version}`], via: 'node' });
    const links = scratch();
    writeFileSync(join(links, wheelName), wheel);
    const fromLinks = join(scratch(), 'onemkl');
    seen.length = 0;
    await fetchRuntime({ dir: fromLinks, quiet: true, env: { PIP_CONFIG_FILE: '/dev/null', PIP_FIND_LINKS: links, PIP_INDEX_URL: `${base}/json` } });
    expect(seen).toEqual([]); // find-links first: no request at all
    expect(readdirSync(join(fromLinks, 'lib'))).toHaveLength(4);
    const together = join(scratch(), 'onemkl');
    await Promise.all([fetchRuntime({ dir: together, quiet: true, env }), fetchRuntime({ dir: together, quiet: true, env })]);
    expect(readdirSync(join(together, 'lib'))).toHaveLength(4); // two first uses at once: one copy, no error
    mkdirSync(join(dir, 'lib', 'untouched'));
    await fetchRuntime({ dir, quiet: true, env }); // already there: nothing happens
    expect(existsSync(join(dir, 'lib', 'untouched'))).toBe(true);
  });
});
